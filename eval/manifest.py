"""Check or refresh `corpora/MANIFEST`: one line per shipped file (path, sha256, author, description).

    python -m eval.manifest            # report files whose checksum changed, and unlisted files
    python -m eval.manifest --update   # rewrite the checksums of listed files (authors and
                                       # descriptions stay; unlisted files must be added by hand)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when the manifest matches the files, 1 otherwise (after --update: only unlisted files count)."""
    parser = argparse.ArgumentParser(prog="python -m eval.manifest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    args = parser.parse_args(argv)
    manifest = args.corpora / "MANIFEST"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    listed, out, problems = set(), [], 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        fields = line.split("\t")
        path = args.corpora / fields[0]
        listed.add(fields[0])
        if not path.is_file():
            print(f"listed but missing: {fields[0]}")
            problems += 1
            continue
        digest = sha256(path)
        if digest != fields[1]:
            print(f"{'updated' if args.update else 'changed'}: {fields[0]}")
            problems += 0 if args.update else 1
            fields[1] = digest
        out.append("\t".join(fields))
    for path in sorted(p for p in args.corpora.rglob("*") if p.is_file() and p.name != "MANIFEST"):
        relative = str(path.relative_to(args.corpora))
        if relative not in listed:
            print(f"not listed: {relative}\t{sha256(path)}")
            problems += 1
    if args.update:
        manifest.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
