"""The repair passes, one module per kind of damage.

- encoding.py: mojibake (text decoded with the wrong codec)
- characters.py: Kangxi radicals, compatibility forms, full-width digits, controls
- script.py: traditional/simplified conversion (opt-in)
- markdown.py: '#' marks from upstream converters
- duplicates.py: paragraphs, break repeats and headline tails printed twice
- wraps.py: line wraps and column breaks inside paragraphs
- order.py: stranded continuations put back in reading order
- punctuation.py: ASCII punctuation and straight quotes in Chinese text
- dashes.py: look-alikes of the Chinese dash
- spaces.py: artifact spaces
- confusions.py: OCR look-alike characters
"""
