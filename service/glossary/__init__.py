"""The curated termbase and the term-error detector (no model needed).

- `concept`: the Concept and Glossary models, merging and checksum;
- `csv_format`, `tbx_format`: reading and writing termbases (CSV/TSV, TBX-Basic);
- `builtin`: where the shipped termbase lives and loading it;
- `normalize`: tokens and match keys for French and English text;
- `matcher`: the phrase index (a token trie) used on both sides;
- `detector`: French terms found -> English renderings checked -> flags.
"""
