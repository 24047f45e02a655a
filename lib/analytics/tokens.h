/* The tokens the sentiment model counts, from UTF-8 text in English or
 * Chinese (or both at once):
 *   - a run of ASCII letters, digits and apostrophes ([a-z0-9']+ after
 *     lowercasing A-Z) is one word: "Didn't", "48h";
 *   - a run of CJK Unified Ideographs (U+4E00..U+9FFF, and Extension A,
 *     U+3400..U+4DBF) gives each character as a token and each adjacent
 *     pair of characters (a bigram) as another: "非常失望" gives 非, 常, 失,
 *     望, 非常, 常失, 失望. Chinese has no spaces, and a word is mostly one or
 *     two characters, so characters and bigrams catch the words without a
 *     dictionary;
 *   - everything else (spaces, punctuation, other scripts, bytes that are
 *     not valid UTF-8) separates tokens and is no token itself.
 * The Python reference (tests/analytics/sentiment_gen.py's analyzer, a
 * CountVectorizer analyzer) applies the same rules, so both sides count
 * the same tokens. */
#ifndef CRM_TOKENS_H
#define CRM_TOKENS_H

#include <stddef.h>

/* Calls emit once per token in text order (a CJK run: its characters,
 * then its bigrams). The token is len bytes at tok, not NUL-terminated,
 * valid only during the call. Returns the number of tokens. */
size_t crm_tokens(const char *text, size_t len,
    void (*emit)(void *arg, const char *tok, size_t len), void *arg);

#endif
