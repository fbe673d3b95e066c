/* upg-json-check.h — a pass over a JSON document's bytes before json-glib
 * parses it: strict RFC 8259 syntax, nesting no deeper than
 * UPG_JSON_MAX_DEPTH (json-glib's parser recurses and would overflow the
 * stack), and nothing json-glib would silently change: NUL characters,
 * unpaired surrogates, numbers it cannot hold, keys given twice.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Arrays and objects inside one another, the document's own included. */
#define UPG_JSON_MAX_DEPTH 64

/* Errors are in UPG_PLAN_ERROR: INVALID_JSON for syntax and depth, INVALID
 * (the message starting with the JSON path, "projects[0].name: …") for a
 * value that could not be kept exactly. */
gboolean  upg_json_check (const char  *data,
                          gsize        length,
                          GError     **error);
/* The same check, building the document's tree as it goes: the root
 * node (owned), or NULL with @error set. Integers are G_TYPE_INT64 values,
 * other numbers G_TYPE_DOUBLE, as json-glib's parser makes them; object
 * members keep their order. */
JsonNode *upg_json_parse (const char  *data,
                          gsize        length,
                          GError     **error);

/* Reading a long array of the root object one element at a time, so the
 * whole document is never a tree at once. When the root's member @key
 * opens an array, @ready is asked with the root object read so far (its
 * members before @key); if it returns TRUE, each element of that array is
 * handed to @element as soon as it is complete and then freed, and the
 * array stays empty in the tree. After @element fails once (setting its
 * error), it is not called again: the rest of the document is still
 * checked and built, as a syntax error later on comes first. */
typedef struct {
  const char *key;
  gboolean  (*ready)   (JsonObject  *root,
                        gpointer     data);
  gboolean  (*element) (JsonNode    *element,
                        guint        index,
                        gpointer     data,
                        GError     **error);
  gpointer    data;
} UpgJsonStream;

/* upg_json_parse() with @stream: the root node, or NULL with @error set
 * (syntax, depth, a value that could not be kept). @streamed: whether
 * @ready said yes. @element_error receives @element's error, if any. */
JsonNode *upg_json_parse_stream (const char           *data,
                                 gsize                 length,
                                 const UpgJsonStream  *stream,
                                 gboolean             *streamed,
                                 GError              **element_error,
                                 GError              **error);

G_END_DECLS
