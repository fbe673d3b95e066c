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

void
upg_append_md (GString    *out,
               const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        {
          /* A hard line break that keeps the text in its list item. */
          g_string_append (out, "<br>");
          continue;
        }
      if (strchr ("\\`*_{}[]()<>#+-.!|~&", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}
