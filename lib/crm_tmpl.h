/* Mustache templates: compiled once per worker, rendered per request.
 *
 * Implements the mustache spec (interpolation, sections, inverted sections,
 * comments, partials, set delimiters) and its optional inheritance and
 * dynamic-names modules; lambdas are not supported. {{x}} is escaped with
 * crm_escape_html, {{{x}}} and {{&x}} are raw.
 *
 * The view is JSON. false, null, a missing name, [] and "" are falsy;
 * everything else, 0 and {} included, is truthy. A section iterates an
 * array and otherwise pushes its value, so {{.}} works on scalars too.
 * Integers print in decimal, reals in the shortest form that reads back
 * the same (1.21), true and false as words, null, objects and arrays as
 * nothing. A dotted name may index an array: {{items.0.name}}.
 *
 * Rendering walks a compiled op list and allocates nothing but the output
 * buffer: contexts, indentation and block overrides live on the C stack. */
#ifndef CRM_TMPL_H
#define CRM_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "crm.h"
#include "crm_buf.h"

/* Nesting of partials and parents at render time; deeper is CRM_EINVAL. */
#define CRM_TMPL_MAX_DEPTH 64
/* Nesting of sections and blocks inside one template; deeper does not compile. */
#define CRM_TMPL_MAX_NEST 100
/* Largest template source accepted. */
#define CRM_TMPL_MAX_SIZE (16u << 20)

struct crm_tmpl_set;            /* compiled templates by name */

struct crm_tmpl_set *crm_tmpl_set_new(void);

/* Compiles src under name. A syntax error (unclosed section, mismatched
 * close, bad delimiter change, unclosed tag) returns CRM_EINVAL and writes
 * "name:line: message" into err; a source over CRM_TMPL_MAX_SIZE is
 * CRM_ETOOBIG. Replaces an existing template of that name; on error the
 * old one stays. */
enum crm_err crm_tmpl_set_add(struct crm_tmpl_set *, const char *name,
    const char *src, size_t len, char *err, size_t errlen);

/* Loads every *.mustache file below dir, recursively; the name is the
 * relative path without the extension: "layout", "partials/nav". Files and
 * directories whose names start with a dot are skipped. Stops at the first
 * error, keeping what loaded before it: CRM_EINVAL as above, CRM_EIO
 * ("path: reason") when a file or directory cannot be read. */
enum crm_err crm_tmpl_set_load_dir(struct crm_tmpl_set *, const char *dir,
    char *err, size_t errlen);

int crm_tmpl_set_has(const struct crm_tmpl_set *, const char *name);

/* Renders template `name` with the view into out (appends). Partials {{>x}}
 * and parents {{<x}} are looked up by name at render time; a missing one
 * renders as nothing. CRM_ENOTFOUND if `name` itself is missing; CRM_EINVAL
 * when partials and parents nest deeper than CRM_TMPL_MAX_DEPTH, and out
 * then holds what was rendered so far. The view must not change while it
 * renders: a list met again (the same json_t) may be copied from where it
 * was first written. */
enum crm_err crm_tmpl_render(const struct crm_tmpl_set *, const char *name,
    json_t *view, struct crm_buf *out);

void crm_tmpl_set_free(struct crm_tmpl_set *);
/* A set for text that is not HTML (the text/plain part of a marketing
 * e-mail): {{x}} is written as it is, like {{{x}}}. Never for pages. */
void crm_tmpl_set_plain(struct crm_tmpl_set *, int plain);

/* Translation hook, applied when templates are compiled, so it costs
 * nothing per request: a tag {{_ text}} (an underscore, then whitespace;
 * {{_x}} stays a variable) becomes the literal text fn(arg, "text"), or
 * "text" itself when fn is NULL or returns NULL. The result is trusted
 * like the rest of the template: it is not escaped, and tags in it are not
 * expanded. One set per language: install the translator before loading,
 * as templates already added are not recompiled. */
void crm_tmpl_set_translator(struct crm_tmpl_set *,
    const char *(*fn)(void *arg, const char *msgid), void *arg);

#endif
