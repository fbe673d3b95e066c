/* upg-json-check.c — one pass over a JSON document's bytes, with its own
 * stack (never recursion), that checks it and, when asked, builds its tree
 * of JsonNodes (json-glib's parser recurses, accepts more than JSON and
 * changes some values; building here also reads the bytes once, not twice). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

#include "upg-json-check.h"
#include "upg-plan.h"

typedef struct {
  gboolean    object;
  guint       index;   /* arrays: the element being read */
  gsize       base;    /* the path's length outside this container */
  guint       first;   /* objects: its first key in Scan.keys */
  GHashTable *many;    /* objects with many keys: the keys seen so far */
  JsonNode   *node;    /* building: the container (its parent holds it) */
  char       *key;     /* building, objects: the member being read */
  gboolean    stream;  /* building, arrays: elements go to the stream's callback */
  JsonNode   *element; /* streaming: the element being read (owned) */
} Frame;

/* Objects with up to this many keys are searched in a list. */
#define FEW_KEYS 32

typedef struct {
  const char *data;
  const char *p;
  const char *end;
  GString    *path;    /* "projects[0].risks[3]" */
  Frame       stack[UPG_JSON_MAX_DEPTH];
  guint       depth;
  GString    *arena;   /* the open objects' keys, NUL-terminated, one after another */
  GArray     *keys;    /* their offsets in arena, object after object */
  GError    **error;
  gboolean    build;   /* make the tree as well */
  JsonNode   *root;
  GString    *text;    /* building: a string value, unescaped */
  const UpgJsonStream *stream;
  gboolean    streamed;      /* the stream's array has opened and @ready said yes */
  GError     *element_error; /* the stream's callback failed: not called again */
} Scan;

G_GNUC_PRINTF (2, 3)
static gboolean
syntax_error (Scan *s, const char *format, ...)
{
  g_autofree char *detail = NULL;
  int line = 1, column = 1;
  va_list args;

  for (const char *q = s->data; q < s->p && q < s->end; q = g_utf8_next_char (q))
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (s->error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID_JSON,
               _("The file is not valid JSON: line %d, column %d: %s"), line, column, detail);
  return FALSE;
}

static gboolean
unexpected (Scan *s)
{
  g_autofree char *what = NULL;

  if (s->p >= s->end)
    return syntax_error (s, _("the document ends too soon"));
  what = g_strndup (s->p, g_utf8_next_char (s->p) - s->p);
  return syntax_error (s, _("unexpected “%s”"), what);
}

G_GNUC_PRINTF (2, 3)
static gboolean
value_error (Scan *s, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (s->path->len > 0)
    g_set_error (s->error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID, "%s: %s", s->path->str, message);
  else
    g_set_error (s->error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID, "%s", message);
  return FALSE;
}

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Reads the string at s->p (on its opening quote). Decodes it into @out when
 * not NULL (keys); refuses what json-glib would cut short or mangle. */
static gboolean
read_string (Scan *s, GString *out)
{
  const char *run;

  g_assert (*s->p == '"');
  s->p++;
  run = s->p;
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          if (out != NULL)
            g_string_append_len (out, run, s->p - run);
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return syntax_error (s, _("a control character inside a string must be written as an escape"));
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      if (out != NULL)
        g_string_append_len (out, run, s->p - run);
      if (s->p + 1 >= s->end)
        return unexpected (s);
      switch (s->p[1])
        {
        case '"': case '\\': case '/':
          if (out != NULL)
            g_string_append_c (out, s->p[1]);
          s->p += 2;
          break;
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (out != NULL)
            g_string_append_c (out, strchr ("b\bf\fn\nr\rt\t", s->p[1])[1]);
          s->p += 2;
          break;
        case 'u':
          {
            int unit = s->end - s->p >= 6 ? hex4 (s->p + 2) : -1;
            gunichar ch;

            if (unit < 0)
              return syntax_error (s, _("“\\u” must be followed by four hexadecimal digits"));
            if (unit == 0)
              return value_error (s, _("contains a NUL character (\\u0000), which cannot be kept"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return value_error (s, _("contains an unpaired UTF-16 surrogate (\\u%04X), which is not a character"), unit);
            ch = unit;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low = (s->end - s->p >= 12 && s->p[6] == '\\' && s->p[7] == 'u') ? hex4 (s->p + 8) : -1;

                if (low < 0xDC00 || low > 0xDFFF)
                  return value_error (s, _("contains an unpaired UTF-16 surrogate (\\u%04X), which is not a character"), unit);
                ch = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                s->p += 6;
              }
            if (out != NULL)
              g_string_append_unichar (out, ch);
            s->p += 6;
          }
          break;
        default:
          s->p++;
          return unexpected (s);
        }
      run = s->p;
    }
  return unexpected (s);
}

static gboolean
read_number (Scan *s, JsonNode **node)
{
  const char *start = s->p;
  gboolean integer = TRUE;
  g_autofree char *literal = NULL;

  if (*s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return unexpected (s);
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      integer = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return unexpected (s);
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return unexpected (s);
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  literal = g_strndup (start, s->p - start);
  if (strlen (literal) > 40)
    strcpy (literal + 37, "…");
  if (integer)
    {
      /* json-glib keeps integers in 64 bits and wraps the others. */
      g_autofree char *whole = g_strndup (start, s->p - start);
      gint64 v;
      if (!g_ascii_string_to_signed (whole, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return value_error (s, _("the number %s is too large to keep exactly (integers must fit in 64 bits)"), literal);
      if (node != NULL)
        {
          *node = json_node_alloc ();
          json_node_init_int (*node, v);
        }
    }
  else
    {
      g_autofree char *whole = g_strndup (start, s->p - start);
      double v = g_ascii_strtod (whole, NULL);

      if (isinf (v))
        return value_error (s, _("the number %s is too large to keep"), literal);
      if (v == 0.0)
        {
          /* A mantissa with a digit other than 0 that reads as 0. */
          for (const char *q = whole; *q && *q != 'e' && *q != 'E'; q++)
            if (*q >= '1' && *q <= '9')
              return value_error (s, _("the number %s is too small to keep"), literal);
        }
      if (node != NULL)
        {
          *node = json_node_alloc ();
          json_node_init_double (*node, v);
        }
    }
  return TRUE;
}

static gboolean
read_word (Scan *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return unexpected (s);
  s->p += n;
  return TRUE;
}

/* Records @key as one of @frame's; FALSE when it already is. */
static gboolean
add_key (Scan *s, Frame *frame, GString *key)
{
  guint n = s->keys->len - frame->first;
  gsize offset = s->arena->len;

  if (frame->many != NULL)
    return g_hash_table_add (frame->many, g_strdup (key->str));
  for (guint i = frame->first; i < s->keys->len; i++)
    if (strcmp (s->arena->str + g_array_index (s->keys, gsize, i), key->str) == 0)
      return FALSE;
  if (n < FEW_KEYS)
    {
      g_string_append_len (s->arena, key->str, key->len + 1);
      g_array_append_val (s->keys, offset);
      return TRUE;
    }
  frame->many = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = frame->first; i < s->keys->len; i++)
    g_hash_table_add (frame->many, g_strdup (s->arena->str + g_array_index (s->keys, gsize, i)));
  return g_hash_table_add (frame->many, g_strdup (key->str));
}

static void
forget_keys (Scan *s, Frame *frame)
{
  g_clear_pointer (&frame->many, g_hash_table_unref);
  if (frame->object && frame->first < s->keys->len)
    {
      g_string_truncate (s->arena, g_array_index (s->keys, gsize, frame->first));
      g_array_set_size (s->keys, frame->first);
    }
}

static void
set_index_path (Scan *s, Frame *frame)
{
  g_string_truncate (s->path, frame->base);
  g_string_append_printf (s->path, "[%u]", frame->index);
}

/* Building: puts @node (owned) where the value being read goes — the root,
 * the open object's member or the open array's next element. */
static void
emit (Scan *s, JsonNode *node)
{
  Frame *frame;

  if (s->depth == 0)
    {
      s->root = node;
      return;
    }
  frame = &s->stack[s->depth - 1];
  if (frame->stream)
    {
      g_assert (frame->element == NULL);
      frame->element = node;
    }
  else if (frame->object)
    {
      json_object_set_member (json_node_get_object (frame->node), frame->key, node);
      g_clear_pointer (&frame->key, g_free);
    }
  else
    json_array_add_element (json_node_get_array (frame->node), node);
}

typedef struct {
  gboolean  streamed;
  GError   *element_error;
} StreamResult;

/* Streaming: whether the array opening now (at depth 1, not yet pushed)
 * is the stream's, and its elements go to the callback. */
static gboolean
opens_stream (Scan *s)
{
  Frame *root;

  if (s->stream == NULL || s->streamed || !s->build || s->depth != 1 || *s->p != '[')
    return FALSE;
  root = &s->stack[0];
  if (!root->object || root->key == NULL || strcmp (root->key, s->stream->key) != 0)
    return FALSE;
  return s->stream->ready (json_node_get_object (root->node), s->stream->data);
}

/* Streaming: hands the element just read to the callback, then frees it. */
static void
deliver (Scan *s, Frame *frame)
{
  g_autoptr(JsonNode) element = g_steal_pointer (&frame->element);

  if (s->element_error == NULL &&
      !s->stream->element (element, frame->index, s->stream->data, &s->element_error))
    g_assert (s->element_error != NULL);
}

static gboolean
scan (const char           *data,
      gsize                 length,
      gboolean              build,
      const UpgJsonStream  *stream,
      StreamResult         *stream_result,
      JsonNode            **root,
      GError              **error)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  Scan scan = { 0 };
  Scan *s = &scan;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL, FALSE);

  s->data = s->p = data;
  s->end = data + length;
  s->path = path;
  s->error = error;
  s->arena = g_string_new (NULL);
  s->keys = g_array_new (FALSE, FALSE, sizeof (gsize));
  s->build = build;
  s->text = text;
  s->stream = stream;

  /* A byte order mark is not JSON's, but harmless. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s->p += 3;

value:
  skip_space (s);
  if (s->p >= s->end)
    {
      unexpected (s);
      goto out;
    }
  switch (*s->p)
    {
    case '{':
    case '[':
      {
        Frame *frame;

        if (s->depth == UPG_JSON_MAX_DEPTH)
          {
            g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID_JSON,
                         _("The document is nested too deeply (more than %d levels of arrays and objects)"),
                         UPG_JSON_MAX_DEPTH);
            goto out;
          }
        gboolean stream_here = opens_stream (s);

        if (s->build)
          {
            JsonNode *node = json_node_alloc ();

            if (*s->p == '{')
              json_node_take_object (json_node_init (node, JSON_NODE_OBJECT), json_object_new ());
            else
              json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), json_array_new ());
            emit (s, node);
            s->stack[s->depth].node = node;
          }
        frame = &s->stack[s->depth++];
        frame->object = *s->p == '{';
        frame->index = 0;
        frame->base = s->path->len;
        frame->first = s->keys->len;
        frame->many = NULL;
        frame->key = NULL;
        frame->stream = stream_here;
        frame->element = NULL;
        if (stream_here)
          s->streamed = TRUE;
        s->p++;
        skip_space (s);
        if (s->p < s->end && *s->p == (frame->object ? '}' : ']'))
          {
            s->p++;
            s->depth--;
            goto after_value;
          }
        if (frame->object)
          goto member;
        set_index_path (s, frame);
        goto value;
      }
    case '"':
      g_string_truncate (s->text, 0);
      if (!read_string (s, s->build ? s->text : NULL))
        goto out;
      if (s->build)
        {
          JsonNode *node = json_node_alloc ();
          json_node_init_string (node, s->text->str);
          emit (s, node);
        }
      break;
    case 't':
    case 'f':
      if (!read_word (s, *s->p == 't' ? "true" : "false"))
        goto out;
      if (s->build)
        {
          JsonNode *node = json_node_alloc ();
          json_node_init_boolean (node, s->p[-1] == 'e' && s->p[-2] == 'u');
          emit (s, node);
        }
      break;
    case 'n':
      if (!read_word (s, "null"))
        goto out;
      if (s->build)
        emit (s, json_node_init_null (json_node_alloc ()));
      break;
    default:
      if (*s->p != '-' && !g_ascii_isdigit (*s->p))
        {
          unexpected (s);
          goto out;
        }
      {
        JsonNode *node = NULL;
        if (!read_number (s, s->build ? &node : NULL))
          goto out;
        if (node != NULL)
          emit (s, node);
      }
      break;
    }

after_value:
  if (s->depth > 0 && s->stack[s->depth - 1].element != NULL)
    deliver (s, &s->stack[s->depth - 1]);
  skip_space (s);
  if (s->depth == 0)
    {
      if (s->p < s->end)
        {
          unexpected (s);
          goto out;
        }
      ok = TRUE;
      goto out;
    }
  {
    Frame *frame = &s->stack[s->depth - 1];

    if (s->p < s->end && *s->p == ',')
      {
        s->p++;
        if (frame->object)
          goto member;
        frame->index++;
        set_index_path (s, frame);
        goto value;
      }
    if (s->p < s->end && *s->p == (frame->object ? '}' : ']'))
      {
        s->p++;
        g_string_truncate (s->path, frame->base);
        forget_keys (s, frame);
        s->depth--;
        goto after_value;
      }
    unexpected (s);
    goto out;
  }

member:
  {
    Frame *frame = &s->stack[s->depth - 1];

    skip_space (s);
    if (s->p >= s->end || *s->p != '"')
      {
        unexpected (s);
        goto out;
      }
    g_string_truncate (key, 0);
    g_string_truncate (s->path, frame->base);
    if (!read_string (s, key))
      goto out;
    if (frame->base > 0)
      g_string_append_c (s->path, '.');
    g_string_append (s->path, key->str);
    if (!add_key (s, frame, key))
      {
        value_error (s, _("the key is given more than once in the same object"));
        goto out;
      }
    if (s->build)
      {
        g_free (frame->key);
        frame->key = g_strndup (key->str, key->len);
      }
    skip_space (s);
    if (s->p >= s->end || *s->p != ':')
      {
        unexpected (s);
        goto out;
      }
    s->p++;
    goto value;
  }

out:
  for (guint i = 0; i < s->depth; i++)
    {
      g_clear_pointer (&s->stack[i].many, g_hash_table_unref);
      g_clear_pointer (&s->stack[i].key, g_free);
      g_clear_pointer (&s->stack[i].element, json_node_unref);
    }
  g_string_free (s->arena, TRUE);
  g_array_unref (s->keys);
  if (ok && root != NULL)
    *root = g_steal_pointer (&s->root);
  g_clear_pointer (&s->root, json_node_unref);
  if (ok && stream != NULL)
    {
      stream_result->streamed = s->streamed;
      stream_result->element_error = g_steal_pointer (&s->element_error);
    }
  g_clear_error (&s->element_error);
  return ok;
}

gboolean
upg_json_check (const char  *data,
                gsize        length,
                GError     **error)
{
  return scan (data, length, FALSE, NULL, NULL, NULL, error);
}

JsonNode *
upg_json_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  JsonNode *root = NULL;

  if (!scan (data, length, TRUE, NULL, NULL, &root, error))
    return NULL;
  return root;
}

JsonNode *
upg_json_parse_stream (const char           *data,
                       gsize                 length,
                       const UpgJsonStream  *stream,
                       gboolean             *streamed,
                       GError              **element_error,
                       GError              **error)
{
  StreamResult result = { FALSE, NULL };
  JsonNode *root = NULL;

  g_return_val_if_fail (stream != NULL && stream->key != NULL, NULL);
  g_return_val_if_fail (stream->ready != NULL && stream->element != NULL, NULL);

  if (!scan (data, length, TRUE, stream, &result, &root, error))
    return NULL;
  if (streamed != NULL)
    *streamed = result.streamed;
  if (element_error != NULL)
    *element_error = g_steal_pointer (&result.element_error);
  g_clear_error (&result.element_error);
  return root;
}
