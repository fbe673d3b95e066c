/* upg-escape.c — escaping user text for HTML, CSV and Markdown. */
#include "config.h"

#include <string.h>

#include "upg-escape.h"

gboolean
upg_unichar_is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200E || c == 0x200F || c == 0x061C;
}

gboolean
upg_text_has_bidi_control (const char *text)
{
  /* Every one of them is three bytes in UTF-8: 0xE2 0x80/0x81 … or
   * 0xD8 0x9C for U+061C. */
  for (const char *p = text ? text : ""; *p; p++)
    if ((guchar) *p == 0xE2 || (guchar) *p == 0xD8)
      {
        gunichar c = g_utf8_get_char_validated (p, -1);
        if (c != (gunichar) -1 && c != (gunichar) -2 && upg_unichar_is_bidi_control (c))
          return TRUE;
      }
  return FALSE;
}

char *
upg_text_show_bidi (const char *text)
{
  GString *out;
  const char *p;

  if (!upg_text_has_bidi_control (text))
    return g_strdup (text ? text : "");
  out = g_string_new (NULL);
  for (p = text; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (upg_unichar_is_bidi_control (c))
        g_string_append_printf (out, "<U+%04X>", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

#define FSI "\xe2\x81\xa8"   /* U+2068 FIRST STRONG ISOLATE */
#define PDI "\xe2\x81\xa9"   /* U+2069 POP DIRECTIONAL ISOLATE */
#define PDF "\xe2\x80\xac"   /* U+202C POP DIRECTIONAL FORMATTING */

/* Closes what the text left open, innermost first, then our isolate. */
static void
close_all (GString *out,
           GString *open)
{
  for (gsize i = open->len; i > 0; i--)
    g_string_append (out, open->str[i - 1] == 'e' ? PDF : PDI);
  g_string_append (out, PDI);
  g_string_truncate (open, 0);
}

char *
upg_text_isolate_bidi (const char *text)
{
  /* What is open inside the text: 'e' an embedding or override (closed by
   * U+202C POP DIRECTIONAL FORMATTING), 'i' an isolate (closed by U+2069,
   * which also closes the embeddings opened inside it). */
  g_autoptr(GString) open = NULL;
  GString *out;
  const char *p;

  if (!upg_text_has_bidi_control (text))
    return g_strdup (text ? text : "");
  open = g_string_new (NULL);
  out = g_string_new (FSI);
  for (p = text; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      next = g_utf8_next_char (p);
      if (c == 0x202C)
        {
          /* Closes the embedding opened last, never an isolate (ours). */
          if (open->len == 0 || open->str[open->len - 1] != 'e')
            {
              p = next;
              continue;
            }
          g_string_truncate (open, open->len - 1);
        }
      else if (c == 0x2069)
        {
          const char *isolate = strrchr (open->str, 'i');

          /* Without an isolate of its own it would close ours. */
          if (isolate == NULL)
            {
              p = next;
              continue;
            }
          g_string_truncate (open, isolate - open->str);
        }
      else if (c >= 0x202A && c <= 0x202E)
        g_string_append_c (open, 'e');
      else if (c >= 0x2066 && c <= 0x2068)
        g_string_append_c (open, 'i');
      else if (c == '\n' || c == '\r' || c == 0x2029)
        {
          /* Where a paragraph ends (the window's labels), so does every
           * isolate: each paragraph gets its own. */
          if (c == '\r' && *next == '\n')
            next++;
          close_all (out, open);
          g_string_append_len (out, p, next - p);
          g_string_append (out, FSI);
          p = next;
          continue;
        }
      g_string_append_len (out, p, next - p);
      p = next;
    }
  close_all (out, open);
  return g_string_free (out, FALSE);
}

static void
append_html_escaped (GString    *out,
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
upg_append_html (GString    *out,
                 const char *text)
{
  g_autofree char *isolated = upg_text_isolate_bidi (text);

  append_html_escaped (out, isolated);
}

static gboolean
is_token_break (gunichar c)
{
  return c == '/' || c == '-' || c == '_' || c == '.' || c == '?' || c == '&' || c == '=' || c == ',' ||
         c == ':' || c == ';' || c == '@' || c == '#';
}

void
upg_append_html_cell (GString    *out,
                      const char *text)
{
  g_autofree char *isolated = upg_text_isolate_bidi (text);
  const char *p = isolated;

  while (*p)
    {
      const char *end = p;
      glong length = 0;

      /* A run of characters without a space. */
      while (*end && !g_unichar_isspace (g_utf8_get_char (end)))
        {
          end = g_utf8_next_char (end);
          length++;
        }
      if (length > UPG_HTML_LONG_TOKEN)
        {
          guint since = 0;
          for (const char *q = p; q < end; q = g_utf8_next_char (q))
            {
              gunichar c = g_utf8_get_char (q);
              char piece[8];

              piece[g_unichar_to_utf8 (c, piece)] = '\0';
              append_html_escaped (out, piece);
              /* Chinese and Japanese text breaks between any two of its
               * characters already. */
              since = g_unichar_iswide (c) ? 0 : since + 1;
              /* After a separator once a few characters have gone by, or
               * every 12 characters where there is none. */
              if (since > 0 && g_utf8_next_char (q) < end && ((is_token_break (c) && since >= 4) || since >= 12))
                {
                  g_string_append (out, "<wbr>");
                  since = 0;
                }
            }
        }
      else
        {
          g_autofree char *run = g_strndup (p, end - p);
          append_html_escaped (out, run);
        }
      p = end;
      /* The spaces after it. */
      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        {
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
        }
    }
}

/* Characters a spreadsheet skips before it looks for a formula: blanks and
 * the invisible ones (zero-width space, joiners, word joiner, BOM…). */
static const char *
skip_invisible (const char *s)
{
  for (;;)
    {
      gunichar c = g_utf8_get_char_validated (s, -1);

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x00A0 ||
          (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029 ||
          (c >= 0x202A && c <= 0x202F) || (c >= 0x2060 && c <= 0x2064) ||
          c == 0x3000 || c == 0xFEFF || c == 0x180E)
        s = g_utf8_next_char (s);
      else
        return s;
    }
}

void
upg_append_csv (GString    *out,
                const char *text)
{
  const char *s = text ? text : "";
  const char *first = skip_invisible (s);
  gboolean formula = s[0] == '\t' || s[0] == '\r' ||
                     *first == '=' || *first == '+' || *first == '-' || *first == '@';
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

char *
upg_escape_line (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text ? text : "";

  while (*p)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      switch (c)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
                   (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
            g_string_append_printf (out, "\\u%04x", c);   /* C1 controls, line and direction marks */
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
      p = g_utf8_next_char (p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Whether @p ends a block marker: a space, a tab or the end of the line. */
static gboolean
ends_marker (const char *p)
{
  return *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\0';
}

/* One line of Markdown text: the characters that start inline syntax
 * escaped anywhere, a block marker at its start (after any blanks) too. */
static void
append_md_line (GString    *out,
                const char *s,
                const char *end)
{
  const char *start = s;
  const char *after_hashes;
  const char *list_dot = NULL;
  const char *p;

  /* Blanks first keep the line in its paragraph; the marker is what follows. */
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  g_string_append_len (out, start, s - start);

  /* At the start of a line these begin a block: "# ", "- ", "+ ", "---",
   * "===", "1. " or "1) ". Escape the marker, not what merely looks alike
   * ("4.2.0", "-5 %"). */
  for (after_hashes = s; after_hashes < end && *after_hashes == '#'; after_hashes++)
    ;
  for (p = s; p < end && g_ascii_isdigit (*p); p++)
    ;
  if (p > s && p < end && (*p == '.' || *p == ')') && (p + 1 == end || ends_marker (p + 1)))
    list_dot = p;
  if (s < end &&
      ((after_hashes > s && (after_hashes == end || ends_marker (after_hashes))) ||
       ((*s == '-' || *s == '+') && (s + 1 == end || ends_marker (s + 1) || s[1] == *s)) ||
       *s == '='))
    g_string_append_c (out, '\\');

  for (p = s; p < end; p++)
    {
      if (*p == '\r')
        continue;
      if (strchr ("\\`*_[]<>&|~", *p) != NULL || p == list_dot)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

void
upg_append_md (GString    *out,
               const char *text)
{
  g_autofree char *shown = upg_text_show_bidi (text);
  const char *s = shown;
  const char *end = s + strlen (s);

  /* Line breaks at the end would leave a stray backslash: drop them. */
  while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
    end--;
  for (;;)
    {
      const char *nl = memchr (s, '\n', end - s);

      append_md_line (out, s, nl ? nl : end);
      if (nl == NULL)
        break;
      /* A CommonMark hard line break (backslash, newline): the text stays
       * in its paragraph or list item. */
      g_string_append (out, "\\\n");
      s = nl + 1;
    }
}

void
upg_append_md_cell (GString    *out,
                    const char *text)
{
  g_autofree char *flat = upg_text_show_bidi (text);

  /* A table row is one line: its cells' line breaks become spaces. */
  g_strdelimit (flat, "\r\n", ' ');
  append_md_line (out, flat, flat + strlen (flat));
}

void
upg_append_md_heading (GString    *out,
                       const char *text)
{
  /* A heading is one line too: "# A\nB" would make "B" a paragraph. */
  upg_append_md_cell (out, text);
}
