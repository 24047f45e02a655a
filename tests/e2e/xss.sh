#!/bin/bash
# make check's XSS crawl: one payload per text field (tests/security/xss.sh;
# the whole corpus through every field with XSS_FULL=1).
exec bash "$(dirname "$0")/../security/xss.sh"
