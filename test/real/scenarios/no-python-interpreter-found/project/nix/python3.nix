# Stands in for nixpkgs' python3, which cannot be fetched here: the machine's Debian Python 3.11.
{ outPath = "/usr"; interpreter = "/usr/bin/python3"; }
