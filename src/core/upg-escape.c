/* upg-escape.c — escaping user text for HTML, CSV and Markdown. */
#include "config.h"

#include <string.h>

#include "upg-escape.h"

void
upg_append_html (GString    *out,
                 const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p);
      }
}

void
upg_append_csv (GString    *out,
                const char *text)
{
  const char *s = text ? text : "";
  gboolean formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                     s[0] == '\t' || s[0] == '\r';
  gboolean quote = formula || strpbrk (s, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

/* Whether @p ends a block marker: a space, a tab or the end of the line. */
static gboolean
ends_marker (const char *p)
{
  return *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\0';
}

void
upg_append_md (GString    *out,
               const char *text)
{
  const char *s = text ? text : "";
  const char *after_hashes = s;
  const char *list_dot = NULL;
  const char *p;

  /* At the start of a line these begin a block: "# ", "- ", "+ ", "---",
   * "===", "1. " or "1) ". Escape the marker, not what merely looks alike
   * ("4.2.0", "-5 %"). */
  while (*after_hashes == '#')
    after_hashes++;
  for (p = s; g_ascii_isdigit (*p); p++)
    ;
  if (p > s && (*p == '.' || *p == ')') && ends_marker (p + 1))
    list_dot = p;
  if ((after_hashes > s && ends_marker (after_hashes)) ||
      ((*s == '-' || *s == '+') && (ends_marker (s + 1) || s[1] == *s)) ||
      *s == '=')
    g_string_append_c (out, '\\');

  for (p = s; *p; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        {
          /* A hard line break that keeps the text in its paragraph or item. */
          g_string_append (out, "<br>");
          continue;
        }
      if (strchr ("\\`*_[]<>&|~", *p) != NULL || p == list_dot)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}
