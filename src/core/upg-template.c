/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-template.c — the email template language: parser (the validator) and
 * renderer. See upg-template.h and docs/templates.md. */
#define G_LOG_DOMAIN "upg-template"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-template.h"

G_DEFINE_QUARK (upg-template-error-quark, upg_template_error)

/* ---- The names --------------------------------------------------------- */

#define T UPG_TEMPLATE_TEXT
#define N UPG_TEMPLATE_NUMBER
#define F UPG_TEMPLATE_FLAG
#define L UPG_TEMPLATE_LIST

/* The fixed list: what the built-in templates and the renderer before this
 * one offered (every field of the project and the retrospective, the
 * group's and the project manager's own fields, the window as the group
 * reads it), and nothing else. docs/templates.md says what each holds. */
static const UpgTemplateName names[] = {
  { "project.uid", T }, { "project.name", T }, { "project.kind", T }, { "project.status", T },
  { "project.goal", T }, { "project.scope", T }, { "project.impact", T },
  { "project.version_from", T }, { "project.version_to", T }, { "project.build_id", T },
  { "project.window_start", T }, { "project.window_end", T }, { "project.time_zone", T },
  { "project.calendar_sequence", N }, { "project.rollback_target_minutes", N },
  { "project.rollback_started_at", T }, { "project.rollback_ended_at", T },
  { "project.risk_thresholds", T }, { "project.created_at", T }, { "project.updated_at", T },

  { "group.name", T }, { "group.audience", T }, { "group.language", T }, { "group.time_zone", T },
  { "group.internal", F }, { "group.bcc", F },

  { "contact.name", T }, { "contact.email", T }, { "contact.phone", T }, { "contact.role", T },
  { "contact.responsibilities", T },

  { "retro.held_on", T }, { "retro.facilitator", T }, { "retro.actual_start", T }, { "retro.actual_end", T },
  { "retro.downtime_minutes", N }, { "retro.rollback_used", F }, { "retro.incidents", N },
  { "retro.rollback_minutes", N }, { "retro.root_cause", T }, { "retro.detection", T },
  { "retro.summary", T },

  { "window.start", T }, { "window.end", T }, { "window.start_date", T }, { "window.end_full", T },
  { "window.text", T }, { "window.utc_text", T }, { "window.start_utc", T }, { "window.end_utc_full", T },
  { "window.zone", T }, { "window.length", T },

  { "moment", T },
  { "changes", L },
  { "actions", L },
};
#define N_NAMES G_N_ELEMENTS (names)

#undef T
#undef N
#undef F
#undef L

/* The objects, for messages about a field they do not have. */
static const char * const objects[] = { "project", "group", "contact", "retro", "window", NULL };

/* Words of template-glib's language that are not ours: named in the error,
 * so a plan that reaches for code is told so plainly. */
static const char * const refused_words[] = {
  "require", "while", "do", "func", "def", "then", "include", "pass", "version", NULL
};

/* The words a tag starts with; not names for a loop either. */
static const char * const block_words[] = { "if", "else", "end", "for", "in", NULL };

const UpgTemplateName *
upg_template_names (guint *n_names)
{
  g_return_val_if_fail (n_names != NULL, NULL);
  *n_names = N_NAMES;
  return names;
}

static int
name_index (const char *name,
            gsize       length)
{
  for (guint i = 0; i < N_NAMES; i++)
    if (strlen (names[i].name) == length && strncmp (names[i].name, name, length) == 0)
      return i;
  return -1;
}

static gboolean
word_is (const char * const *words,
         const char         *word,
         gsize               length)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) == length && strncmp (words[i], word, length) == 0)
      return TRUE;
  return FALSE;
}

/* ---- The parsed template ----------------------------------------------- */

typedef enum { NODE_TEXT, NODE_VALUE, NODE_IF, NODE_FOR } NodeKind;

typedef enum { OP_TRUTH, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } Op;

/* A name in a tag: one of names[] (slot), or a loop's line (loop, its depth). */
typedef struct {
  int slot;
  int loop;
} Ref;

typedef struct {
  Ref       ref;
  Op        op;
  gboolean  number;     /* compared with a whole number, else with text */
  gint64    value;
  char     *literal;
} Test;

typedef struct _Node Node;

typedef struct {
  Test  test;
  Node *body;
} Branch;

struct _Node
{
  NodeKind    kind;
  Node       *next;
  const char *text;     /* NODE_TEXT: a piece of the template's copy */
  gsize       length;
  Ref         ref;      /* NODE_VALUE; NODE_FOR: the list (slot) and the loop's depth (loop) */
  GPtrArray  *branches; /* NODE_IF: Branch, tried in order */
  Node       *otherwise;
  gboolean    has_else;
  Node       *body;     /* NODE_FOR */
};

struct _UpgTemplate
{
  char      *text;
  Node      *first;
  GPtrArray *nodes;     /* owns every node */
};

static void
branch_free (Branch *branch)
{
  g_free (branch->test.literal);
  g_free (branch);
}

static void
node_free (Node *node)
{
  g_clear_pointer (&node->branches, g_ptr_array_unref);
  g_free (node);
}

void
upg_template_free (UpgTemplate *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->nodes);
  g_free (self->text);
  g_free (self);
}

/* ---- Parsing ----------------------------------------------------------- */

typedef enum { TOK_NAME, TOK_STRING, TOK_NUMBER, TOK_OP } TokenKind;

typedef struct {
  TokenKind  kind;
  gsize      start;     /* byte offsets in the template */
  gsize      end;
  Op         op;
  gint64     number;
  char      *string;    /* TOK_STRING, unquoted */
} Token;

typedef struct {
  Node     *node;       /* NODE_IF or NODE_FOR */
  gsize     at;         /* its "{{" */
  Node    **tail;       /* where the block's next node goes */
  gsize     var;        /* NODE_FOR: its variable in the template */
  gsize     var_length;
} Block;

typedef struct {
  UpgTemplate *template;
  const char  *text;
  gsize        error_at;
  GError      *error;
  Block        blocks[UPG_TEMPLATE_MAX_DEPTH + 1];   /* [0] is the template itself */
  guint        depth;
  Node       **tail;
} Parser;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Parser     *p,
      gsize       at,
      const char *format,
      ...)
{
  va_list args;

  if (p->error != NULL)
    return FALSE;
  va_start (args, format);
  p->error = g_error_new_valist (UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_SYNTAX, format, args);
  va_end (args);
  p->error_at = at;
  return FALSE;
}

/* The template's bytes [start, end) as a string, for a message. */
static char *
slice (Parser *p,
       gsize   start,
       gsize   end)
{
  return g_strndup (p->text + start, end - start);
}

static Node *
add_node (Parser   *p,
          NodeKind  kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->ref.slot = node->ref.loop = -1;
  g_ptr_array_add (p->template->nodes, node);
  *p->tail = node;
  p->tail = &node->next;
  return node;
}

static void
add_text (Parser *p,
          gsize   start,
          gsize   end)
{
  Node *node;

  if (end <= start)
    return;
  node = add_node (p, NODE_TEXT);
  node->text = p->text + start;
  node->length = end - start;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The message for a tag that tries to run code. */
static const char *
code_message (void)
{
  return _("a template shows names ({{ project.name }}), tests them ({{ if … }}) and repeats lists "
           "({{ for x in changes }}); it runs no code");
}

/* Splits the inside of a tag, [start, end), into tokens. */
static gboolean
lex (Parser *p,
     gsize   start,
     gsize   end,
     GArray *tokens)
{
  const char *s = p->text;
  gsize i = start;
  gssize last_name = -1;

  while (i < end)
    {
      Token token = { 0 };
      char c = s[i];

      token.start = i;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          i++;
          continue;
        }
      if (is_name_start (c))
        {
          gsize j = i;
          gsize first_end;

          while (j < end && is_name_char (s[j]))
            j++;
          first_end = j;
          while (j < end && s[j] == '.')
            {
              if (j + 1 >= end || !is_name_start (s[j + 1]))
                {
                  g_autofree char *text = slice (p, i, j + 1);
                  /* TRANSLATORS: a template's tag: "project." with nothing after the dot */
                  return fail (p, i, _("“%s” needs a field name after the dot"), text);
                }
              j++;
              while (j < end && is_name_char (s[j]))
                j++;
            }
          if (word_is (refused_words, s + i, first_end - i))
            {
              g_autofree char *word = slice (p, i, first_end);
              /* TRANSLATORS: %s is a word such as "require" or "while"; the rest says what a template can do */
              return fail (p, i, _("“%s” is not allowed: %s"), word, code_message ());
            }
          token.kind = TOK_NAME;
          token.end = j;
          last_name = i;
          i = j;
        }
      else if (g_ascii_isdigit (c) || (c == '-' && i + 1 < end && g_ascii_isdigit (s[i + 1])))
        {
          gsize j = i + 1;
          g_autofree char *text = NULL;

          while (j < end && g_ascii_isdigit (s[j]))
            j++;
          if (j < end && (is_name_char (s[j]) || s[j] == '.'))
            {
              while (j < end && (is_name_char (s[j]) || s[j] == '.'))
                j++;
              text = slice (p, i, j);
              return fail (p, i, _("“%s” is not a whole number"), text);
            }
          text = slice (p, i, j);
          if (j - i - (c == '-') > 18)
            return fail (p, i, _("“%s” has more than 18 digits"), text);
          token.kind = TOK_NUMBER;
          token.number = g_ascii_strtoll (text, NULL, 10);
          token.end = j;
          i = j;
        }
      else if (c == '"')
        {
          g_autoptr(GString) value = g_string_new (NULL);
          gsize j = i + 1;

          /* The tag's end was found outside quotes: the string closes. */
          while (s[j] != '"')
            {
              if (s[j] == '\\')
                {
                  char e = s[j + 1];
                  if (e == '"' || e == '\\')
                    g_string_append_c (value, e);
                  else if (e == 'n')
                    g_string_append_c (value, '\n');
                  else if (e == 't')
                    g_string_append_c (value, '\t');
                  else
                    {
                      g_autofree char *text = g_strndup (s + j, g_utf8_next_char (s + j + 1) - (s + j));
                      /* TRANSLATORS: a backslash sequence in quoted text of a template */
                      return fail (p, j, _("“%s” is not an escape quoted text knows (\\\", \\\\, \\n, \\t)"), text);
                    }
                  j += 2;
                }
              else
                g_string_append_c (value, s[j++]);
            }
          g_assert (j < end);
          token.kind = TOK_STRING;
          token.string = g_string_free (g_steal_pointer (&value), FALSE);
          token.end = j + 1;
          i = j + 1;
        }
      else if (c == '=' || c == '!' || c == '<' || c == '>')
        {
          gboolean eq = i + 1 < end && s[i + 1] == '=';

          if (c == '=' && !eq)
            return fail (p, i, _("“=” assigns, and a template assigns nothing; compare with “==”"));
          if (c == '!' && !eq)
            return fail (p, i, _("“!” is not allowed: a test compares one name with ==, !=, <, <=, > or >="));
          token.kind = TOK_OP;
          token.op = c == '=' ? OP_EQ : c == '!' ? OP_NE : c == '<' ? (eq ? OP_LE : OP_LT) : (eq ? OP_GE : OP_GT);
          token.end = i + (eq ? 2 : 1);
          i = token.end;
        }
      else if (c == '(')
        {
          g_autofree char *callee = NULL;
          gsize at = i;

          if (last_name >= 0 && tokens->len > 0 &&
              g_array_index (tokens, Token, tokens->len - 1).start == (gsize) last_name)
            {
              at = last_name;
              callee = slice (p, at, g_array_index (tokens, Token, tokens->len - 1).end);
            }
          if (callee != NULL)
            /* TRANSLATORS: %s is what a template tried to call ("GLib.get_user_name") */
            return fail (p, at, _("“%s(…)” is a call, and a template calls nothing: %s"), callee, code_message ());
          return fail (p, at, _("“(” is not allowed: %s"), code_message ());
        }
      else
        {
          gsize length = g_utf8_next_char (s + i) - (s + i);
          g_autofree char *text = NULL;

          if ((c == '&' || c == '|') && i + 1 < end && s[i + 1] == c)
            length = 2;
          text = slice (p, i, i + length);
          if (strchr ("+-*/%&|^~?:;,", c) != NULL)
            return fail (p, i, _("“%s” is not allowed: a test compares one name with ==, !=, <, <=, > or >="), text);
          /* TRANSLATORS: %s is a character a template's tag cannot hold */
          return fail (p, i, _("“%s” is not allowed in a tag"), text);
        }
      g_array_append_val (tokens, token);
    }
  return TRUE;
}

static void
token_clear (Token *token)
{
  g_free (token->string);
}

static gboolean
token_is (Parser      *p,
          const Token *token,
          const char  *word)
{
  return token->kind == TOK_NAME && token->end - token->start == strlen (word) &&
         strncmp (p->text + token->start, word, token->end - token->start) == 0;
}

/* The innermost open loop whose variable is @name, or -1. */
static int
find_loop (Parser     *p,
           const char *name,
           gsize       length)
{
  for (guint d = p->depth; d > 0; d--)
    {
      Block *b = &p->blocks[d];
      if (b->node->kind == NODE_FOR && b->var_length == length &&
          strncmp (p->text + b->var, name, length) == 0)
        return b->node->ref.loop;
    }
  return -1;
}

/* What a name token refers to; lists only where @list_ok. */
static gboolean
resolve (Parser      *p,
         const Token *token,
         gboolean     list_ok,
         Ref         *ref)
{
  const char *name = p->text + token->start;
  gsize length = token->end - token->start;
  const char *dot = memchr (name, '.', length);
  gsize head = dot ? (gsize) (dot - name) : length;
  g_autofree char *text = slice (p, token->start, token->end);
  int slot;

  ref->slot = ref->loop = -1;
  if (dot == NULL && (ref->loop = find_loop (p, name, length)) >= 0)
    return TRUE;
  slot = name_index (name, length);
  if (slot >= 0)
    {
      if (names[slot].kind == UPG_TEMPLATE_LIST && !list_ok)
        /* TRANSLATORS: %s is "changes" or "actions" */
        return fail (p, token->start, _("“%s” is a list: repeat it with {{ for x in %s }}"), text, text);
      ref->slot = slot;
      return TRUE;
    }
  if (find_loop (p, name, head) >= 0)
    {
      g_autofree char *var = slice (p, token->start, token->start + head);
      /* TRANSLATORS: %s is a loop's variable; it stands for one line of text */
      return fail (p, token->start, _("“%s” is a line of text and has no fields"), var);
    }
  if (word_is (objects, name, head))
    {
      g_autofree char *object = slice (p, token->start, token->start + head);

      if (dot == NULL)
        {
          for (guint i = 0; i < N_NAMES; i++)
            if (g_str_has_prefix (names[i].name, object) && names[i].name[head] == '.')
              /* TRANSLATORS: %s is "project", "group"…; then an example of one of its fields */
              return fail (p, token->start, _("“%s” is not one value: name one of its fields, such as {{ %s }}"),
                           object, names[i].name);
        }
      {
        g_autofree char *field = slice (p, token->start + head + 1, token->end);
        /* TRANSLATORS: "project has no field “nme”" */
        return fail (p, token->start, _("%s has no field “%s”"), object, field);
      }
    }
  /* TRANSLATORS: %s is a word in a template's tag */
  return fail (p, token->start, _("“%s” is not a name a template can use"), text);
}

static UpgTemplateKind
ref_kind (const Ref *ref)
{
  return ref->slot >= 0 ? names[ref->slot].kind : UPG_TEMPLATE_TEXT;
}

static gboolean
unexpected (Parser      *p,
            const Token *token)
{
  g_autofree char *text = slice (p, token->start, token->end);
  /* TRANSLATORS: %s is a word or sign in a template's tag */
  return fail (p, token->start, _("“%s” is not expected here"), text);
}

/* A test: NAME, or NAME OP "text" / NAME OP number. */
static gboolean
parse_test (Parser *p,
            Token  *tokens,
            guint   n,
            gsize   tag,
            Test   *test)
{
  g_autofree char *name = NULL;
  UpgTemplateKind kind;

  if (n == 0)
    return fail (p, tag, _("“{{ if }}” needs a test, such as {{ if project.impact }} or {{ if project.status == \"live\" }}"));
  if (tokens[0].kind != TOK_NAME)
    return fail (p, tokens[0].start, _("a test starts with a name, such as {{ if project.status == \"live\" }}"));
  if (!resolve (p, &tokens[0], TRUE, &test->ref))
    return FALSE;
  test->op = OP_TRUTH;
  if (n == 1)
    return TRUE;
  if (tokens[1].kind != TOK_OP)
    return unexpected (p, &tokens[1]);
  test->op = tokens[1].op;
  name = slice (p, tokens[0].start, tokens[0].end);
  kind = ref_kind (&test->ref);
  if (n == 2 || (tokens[2].kind != TOK_STRING && tokens[2].kind != TOK_NUMBER))
    {
      g_autofree char *op = slice (p, tokens[1].start, tokens[1].end);
      return fail (p, n == 2 ? tokens[1].start : tokens[2].start,
                   /* TRANSLATORS: %s is "==", "<"… */
                   _("“%s” needs a quoted text or a whole number after it"), op);
    }
  if (n > 3)
    return unexpected (p, &tokens[3]);
  if (kind == UPG_TEMPLATE_LIST)
    /* TRANSLATORS: %s is "changes" or "actions" */
    return fail (p, tokens[0].start, _("“%s” is a list: test it alone ({{ if %s }}) or repeat it with {{ for }}"),
                 name, name);
  test->number = tokens[2].kind == TOK_NUMBER;
  if (!test->number && test->op != OP_EQ && test->op != OP_NE)
    {
      g_autofree char *op = slice (p, tokens[1].start, tokens[1].end);
      return fail (p, tokens[2].start, _("“%s” compares whole numbers: write a number after it"), op);
    }
  if (test->number && kind == UPG_TEMPLATE_FLAG)
    return fail (p, tokens[2].start, _("“%s” is true or false: test it alone, or compare it with \"true\" or \"false\""),
                 name);
  if (test->number && kind == UPG_TEMPLATE_TEXT)
    return fail (p, tokens[2].start, _("“%s” is text: compare it with a quoted text"), name);
  test->value = tokens[2].number;
  test->literal = g_steal_pointer (&tokens[2].string);
  return TRUE;
}

static gboolean
open_block (Parser *p,
            Node   *node,
            gsize   tag)
{
  Block *b;

  if (p->depth == UPG_TEMPLATE_MAX_DEPTH)
    return fail (p, tag, _("blocks nest more than %d deep"), UPG_TEMPLATE_MAX_DEPTH);
  b = &p->blocks[++p->depth];
  b->node = node;
  b->at = tag;
  b->var = b->var_length = 0;
  return TRUE;
}

static Branch *
add_branch (Node *node)
{
  Branch *branch = g_new0 (Branch, 1);
  g_ptr_array_add (node->branches, branch);
  return branch;
}

/* One tag: [tag, close + 2) with its inside [inner, close). Sets *block
 * when it is an if, else, end or for tag. */
static gboolean
parse_tag (Parser   *p,
           gsize     tag,
           gsize     inner,
           gsize     close,
           gboolean *block)
{
  g_autoptr(GArray) array = g_array_new (FALSE, TRUE, sizeof (Token));
  Token *tokens;
  guint n;
  Block *top = &p->blocks[p->depth];

  g_array_set_clear_func (array, (GDestroyNotify) token_clear);
  *block = FALSE;
  if (!lex (p, inner, close, array))
    return FALSE;
  tokens = (Token *) (void *) array->data;
  n = array->len;
  if (n == 0)
    return fail (p, tag, _("the tag is empty: write a name, such as {{ project.name }}"));

  if (token_is (p, &tokens[0], "if"))
    {
      Node *node = add_node (p, NODE_IF);
      Branch *branch;

      *block = TRUE;
      node->branches = g_ptr_array_new_with_free_func ((GDestroyNotify) branch_free);
      branch = add_branch (node);
      if (!parse_test (p, tokens + 1, n - 1, tag, &branch->test) || !open_block (p, node, tag))
        return FALSE;
      p->blocks[p->depth].tail = p->tail;
      p->tail = &branch->body;
      return TRUE;
    }
  if (token_is (p, &tokens[0], "else"))
    {
      gboolean is_else_if = n > 1 && token_is (p, &tokens[1], "if");

      *block = TRUE;
      if (p->depth == 0 || top->node->kind != NODE_IF)
        return fail (p, tag, _("“{{ else }}” is outside an {{ if }}"));
      if (top->node->has_else)
        return fail (p, tag, _("this {{ if }} already has its {{ else }}"));
      if (is_else_if)
        {
          Branch *branch = add_branch (top->node);
          if (!parse_test (p, tokens + 2, n - 2, tag, &branch->test))
            return FALSE;
          p->tail = &branch->body;
        }
      else
        {
          if (n > 1)
            return unexpected (p, &tokens[1]);
          top->node->has_else = TRUE;
          p->tail = &top->node->otherwise;
        }
      return TRUE;
    }
  if (token_is (p, &tokens[0], "end"))
    {
      *block = TRUE;
      if (n > 1)
        return unexpected (p, &tokens[1]);
      if (p->depth == 0)
        return fail (p, tag, _("“{{ end }}” closes nothing: there is no open {{ if }} or {{ for }}"));
      p->tail = top->tail;
      p->depth--;
      return TRUE;
    }
  if (token_is (p, &tokens[0], "for"))
    {
      Node *node;
      const Token *var = n > 1 ? &tokens[1] : NULL;
      gsize var_length = var ? var->end - var->start : 0;
      Ref list;

      *block = TRUE;
      if (n != 4 || var->kind != TOK_NAME || memchr (p->text + var->start, '.', var_length) != NULL ||
          !token_is (p, &tokens[2], "in") || tokens[3].kind != TOK_NAME)
        return fail (p, tag, _("write a loop as {{ for x in changes }} or {{ for x in actions }}"));
      if (word_is (block_words, p->text + var->start, var_length) ||
          word_is (objects, p->text + var->start, var_length) ||
          name_index (p->text + var->start, var_length) >= 0 ||
          find_loop (p, p->text + var->start, var_length) >= 0)
        {
          g_autofree char *text = slice (p, var->start, var->end);
          /* TRANSLATORS: %s is the name a loop gives its line */
          return fail (p, var->start, _("“%s” is taken: give the loop another name"), text);
        }
      if (!resolve (p, &tokens[3], TRUE, &list))
        return FALSE;
      if (ref_kind (&list) != UPG_TEMPLATE_LIST)
        {
          g_autofree char *text = slice (p, tokens[3].start, tokens[3].end);
          return fail (p, tokens[3].start, _("“%s” is not a list: {{ for }} repeats changes or actions"), text);
        }
      node = add_node (p, NODE_FOR);
      node->ref.slot = list.slot;
      node->ref.loop = 0;
      for (guint d = 1; d <= p->depth; d++)
        if (p->blocks[d].node->kind == NODE_FOR)
          node->ref.loop++;
      if (!open_block (p, node, tag))
        return FALSE;
      p->blocks[p->depth].var = var->start;
      p->blocks[p->depth].var_length = var_length;
      p->blocks[p->depth].tail = p->tail;
      p->tail = &node->body;
      return TRUE;
    }

  /* A value. */
  if (tokens[0].kind != TOK_NAME)
    {
      g_autofree char *text = slice (p, tokens[0].start, tokens[0].end);
      /* TRANSLATORS: %s is what a tag holds instead of a name ("\"hello\"", "42") */
      return fail (p, tokens[0].start, _("“%s” is not a name: a tag shows a name, such as {{ project.name }}"), text);
    }
  if (n > 1)
    return unexpected (p, &tokens[1]);
  {
    Ref ref;
    Node *node;

    if (!resolve (p, &tokens[0], FALSE, &ref))
      return FALSE;
    node = add_node (p, NODE_VALUE);
    node->ref = ref;
  }
  return TRUE;
}

/* Where @offset of @text is: 1-based line and column (in characters). */
static void
locate (const char *text,
        gsize       offset,
        int        *line,
        int        *column)
{
  int l = 1, c = 1;

  for (const char *s = text; s < text + offset; s = g_utf8_next_char (s))
    {
      if (*s == '\n')
        l++, c = 1;
      else
        c++;
    }
  if (line != NULL)
    *line = l;
  if (column != NULL)
    *column = c;
}

/* The end of the tag that starts at @open ("{{"): the first "}}" outside
 * quoted text, or -1. */
static gssize
find_close (const char *s,
            gsize       open)
{
  gboolean quoted = FALSE;

  for (gsize i = open + 2; s[i] != '\0'; i++)
    {
      if (quoted && s[i] == '\\' && s[i + 1] != '\0')
        i++;
      else if (s[i] == '"')
        quoted = !quoted;
      else if (!quoted && s[i] == '}' && s[i + 1] == '}')
        return i;
    }
  return -1;
}

static gboolean
parse (Parser *p)
{
  const char *s = p->text;
  gsize i = 0, start = 0;
  const char *bad;

  if (!g_utf8_validate (s, -1, &bad))
    return fail (p, bad - s, _("the template is not UTF-8 text"));

  while (s[i] != '\0')
    {
      if (s[i] == '\\')
        {
          if (s[i + 1] == '{')
            {
              /* \{ writes a "{" */
              add_text (p, start, i);
              start = i + 1;
              i += 2;
            }
          else
            i = s[i + 1] == '\0' ? i + 1 : (gsize) (g_utf8_next_char (s + i + 1) - s);
        }
      else if (s[i] == '{' && s[i + 1] != '{')
        /* "{" and the character after it are text: "{\{" writes "{\{". */
        i = s[i + 1] == '\0' ? i + 1 : (gsize) (g_utf8_next_char (s + i + 1) - s);
      else if (s[i] == '{')
        {
          gssize close = find_close (s, i);
          gboolean block;

          if (close < 0)
            return fail (p, i, _("“{{” is not closed by “}}”"));
          add_text (p, start, i);
          if (!parse_tag (p, i, i + 2, close, &block))
            return FALSE;
          i = close + 2;
          /* A newline right after a block's tag is the tag's own. */
          if (block && s[i] == '\n')
            i++;
          start = i;
        }
      else
        i++;
    }
  add_text (p, start, i);
  if (p->depth > 0)
    {
      Block *b = &p->blocks[p->depth];
      return fail (p, b->at, b->node->kind == NODE_IF ? _("“{{ if }}” is not closed by “{{ end }}”")
                                                     : _("“{{ for }}” is not closed by “{{ end }}”"));
    }
  return TRUE;
}

UpgTemplate *
upg_template_parse (const char  *text,
                    int         *line,
                    int         *column,
                    GError     **error)
{
  g_autoptr(UpgTemplate) template = g_new0 (UpgTemplate, 1);
  Parser p = { 0 };

  g_return_val_if_fail (text != NULL, NULL);

  template->text = g_strdup (text);
  template->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  p.template = template;
  p.text = template->text;
  p.tail = &template->first;
  p.blocks[0].tail = &template->first;
  if (!parse (&p))
    {
      locate (p.text, p.error_at, line, column);
      g_propagate_error (error, p.error);
      return NULL;
    }
  return g_steal_pointer (&template);
}

gboolean
upg_template_validate (const char  *text,
                       char       **message)
{
  g_autoptr(UpgTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  int line, column;

  g_return_val_if_fail (message != NULL, FALSE);

  template = upg_template_parse (text, &line, &column, &error);
  if (template != NULL)
    return TRUE;
  /* TRANSLATORS: where a template goes wrong, and why */
  *message = g_strdup_printf (_("line %d, column %d: %s"), line, column, error->message);
  return FALSE;
}

/* ---- The values -------------------------------------------------------- */

struct _UpgTemplateData
{
  char     *text[N_NAMES];     /* what a value shows; NULL is "" */
  gint64    number[N_NAMES];
  gboolean  truth[N_NAMES];    /* what {{ if NAME }} finds */
  GStrv     lists[N_NAMES];
};

UpgTemplateData *
upg_template_data_new (void)
{
  return g_new0 (UpgTemplateData, 1);
}

void
upg_template_data_free (UpgTemplateData *data)
{
  if (data == NULL)
    return;
  for (guint i = 0; i < N_NAMES; i++)
    {
      g_free (data->text[i]);
      g_strfreev (data->lists[i]);
    }
  g_free (data);
}

static int
data_slot (const char      *name,
           UpgTemplateKind  kind)
{
  static GHashTable *slots;   /* name → slot + 1, made once: a notice sets every name */
  int slot;

  if (g_once_init_enter (&slots))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < N_NAMES; i++)
        g_hash_table_insert (table, (char *) names[i].name, GINT_TO_POINTER (i + 1));
      g_once_init_leave (&slots, table);
    }
  slot = GPOINTER_TO_INT (g_hash_table_lookup (slots, name)) - 1;

  g_assert (slot >= 0 && names[slot].kind == kind);
  return slot;
}

void
upg_template_data_set_text (UpgTemplateData *data,
                            const char      *name,
                            const char      *text)
{
  int slot = data_slot (name, UPG_TEMPLATE_TEXT);

  g_free (data->text[slot]);
  data->text[slot] = g_strdup (text);
  data->truth[slot] = text != NULL && *text != '\0';
}

void
upg_template_data_set_number (UpgTemplateData *data,
                              const char      *name,
                              gint64           number,
                              gboolean         present)
{
  int slot = data_slot (name, UPG_TEMPLATE_NUMBER);

  g_free (data->text[slot]);
  data->text[slot] = present ? g_strdup_printf ("%" G_GINT64_FORMAT, number) : NULL;
  data->number[slot] = number;
  data->truth[slot] = present && number != 0;
}

void
upg_template_data_set_flag (UpgTemplateData *data,
                            const char      *name,
                            gboolean         flag)
{
  int slot = data_slot (name, UPG_TEMPLATE_FLAG);

  g_free (data->text[slot]);
  data->text[slot] = g_strdup (flag ? "true" : "false");
  data->truth[slot] = flag;
}

void
upg_template_data_set_list (UpgTemplateData    *data,
                            const char         *name,
                            const char * const *items)
{
  int slot = data_slot (name, UPG_TEMPLATE_LIST);

  g_strfreev (data->lists[slot]);
  data->lists[slot] = g_strdupv ((char **) items);
  data->truth[slot] = items != NULL && items[0] != NULL;
}

/* ---- Rendering --------------------------------------------------------- */

/* Work between two looks at the clock, and the most there may be. */
#define CLOCK_EVERY 1024
#define MAX_STEPS   (G_GUINT64_CONSTANT (50) * 1000 * 1000)

typedef struct {
  const UpgTemplateData *data;
  GString               *out;
  const char            *lines[UPG_TEMPLATE_MAX_DEPTH];   /* each open loop's line */
  guint64                steps;
  gint64                 deadline;
  GError               **error;
} Render;

static gboolean
over_time (Render *r)
{
  g_set_error (r->error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_BUDGET,
               _("the template takes longer than %d ms to render (a loop in a loop?)"), UPG_TEMPLATE_MAX_MSEC);
  return FALSE;
}

static gboolean
step (Render *r)
{
  r->steps++;
  if (r->steps >= MAX_STEPS)
    return over_time (r);
  if (r->steps % CLOCK_EVERY == 0 && g_get_monotonic_time () > r->deadline)
    return over_time (r);
  return TRUE;
}

static gboolean
emit (Render     *r,
      const char *text,
      gsize       length)
{
  if (length > UPG_TEMPLATE_MAX_OUTPUT - r->out->len)
    {
      g_set_error (r->error, UPG_TEMPLATE_ERROR, UPG_TEMPLATE_ERROR_BUDGET,
                   _("the rendered text passes %d MB, the most a template may make"),
                   UPG_TEMPLATE_MAX_OUTPUT / (1024 * 1024));
      return FALSE;
    }
  g_string_append_len (r->out, text, length);
  return TRUE;
}

static const char *
ref_text (Render    *r,
          const Ref *ref)
{
  const char *text = ref->slot >= 0 ? r->data->text[ref->slot] : r->lines[ref->loop];
  return text != NULL ? text : "";
}

static gboolean
passes (Render     *r,
        const Test *test)
{
  const Ref *ref = &test->ref;
  int cmp;

  if (test->op == OP_TRUTH)
    return ref->slot >= 0 ? r->data->truth[ref->slot] : *ref_text (r, ref) != '\0';
  if (test->number)
    {
      /* Only numbers are compared with numbers; a missing one is not equal to any. */
      gint64 value = r->data->number[ref->slot];
      if (r->data->text[ref->slot] == NULL)
        return test->op == OP_NE;
      cmp = value < test->value ? -1 : value > test->value;
    }
  else
    cmp = strcmp (ref_text (r, ref), test->literal);

  switch (test->op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    case OP_GE: return cmp >= 0;
    case OP_TRUTH:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* Nodes nest at most UPG_TEMPLATE_MAX_DEPTH deep, and so does this. */
static gboolean
render_nodes (Render     *r,
              const Node *node)
{
  for (; node != NULL; node = node->next)
    {
      if (!step (r))
        return FALSE;
      switch (node->kind)
        {
        case NODE_TEXT:
          if (!emit (r, node->text, node->length))
            return FALSE;
          break;
        case NODE_VALUE:
          {
            const char *text = ref_text (r, &node->ref);
            if (!emit (r, text, strlen (text)))
              return FALSE;
          }
          break;
        case NODE_IF:
          {
            const Node *body = node->otherwise;
            for (guint i = 0; i < node->branches->len; i++)
              {
                const Branch *branch = node->branches->pdata[i];
                if (passes (r, &branch->test))
                  {
                    body = branch->body;
                    break;
                  }
              }
            if (!render_nodes (r, body))
              return FALSE;
          }
          break;
        case NODE_FOR:
          {
            char **lines = r->data->lists[node->ref.slot];
            for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
              {
                r->lines[node->ref.loop] = lines[i];
                if (!step (r) || !render_nodes (r, node->body))
                  return FALSE;
              }
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

char *
upg_template_render (const UpgTemplate     *self,
                     const UpgTemplateData *data,
                     GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Render r = { 0 };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  r.data = data;
  r.out = out;
  r.error = error;
  r.deadline = g_get_monotonic_time () + UPG_TEMPLATE_MAX_MSEC * G_TIME_SPAN_MILLISECOND;
  if (!render_nodes (&r, self->first))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
