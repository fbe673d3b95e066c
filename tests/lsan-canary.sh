#!/bin/sh
# Runs lsan-canary (which leaks a PangoLayout from core on purpose) and
# passes only when LeakSanitizer reports that layout: the suppressions in
# tests/lsan.supp must not hide a leak of ours that passes through pango.
canary=$1
err=$("$canary" 2>&1 >/dev/null)
status=$?
if [ $status -eq 0 ]; then
  echo "lsan-canary: exited 0; LeakSanitizer reported nothing"
  exit 1
fi
# The report of the layout: allocated in pango_layout_new, from core.
if printf '%s\n' "$err" | awk '
    /^(Direct|Indirect) leak/ { block = "" }
    { block = block "\n" $0 }
    /upg_pdf_doc_new_layout/ && block ~ /pango_layout_new/ { found = 1 }
    END { exit !found }'; then
  printf '%s\n' "$err" | grep -E "^(Direct|Indirect) leak|pango_layout_new|upg_pdf_doc_new_layout|^SUMMARY" | head -20
  echo "lsan-canary: LeakSanitizer reported the leaked PangoLayout"
  exit 0
fi
printf '%s\n' "$err"
echo "lsan-canary: the leaked PangoLayout was not reported (a suppression hides it)"
exit 1
