/* Multinomial naive Bayes over token counts (tokens.h) for three classes,
 * as scikit-learn's MultinomialNB(alpha=1.0) on a CountVectorizer's
 * counts (tests/analytics/check_sentiment.sh checks it):
 *   - the vocabulary is every token of the training texts; a token the
 *     model never saw is ignored when predicting;
 *   - class prior: log(texts of the class / texts);
 *   - log P(token | class) = log((count in class + alpha) /
 *     (all tokens in class + alpha * vocabulary size)) (Laplace smoothing);
 *   - a text's joint log likelihood is the prior plus, for each token,
 *     its count times its log probability; the probabilities are those
 *     normalised (log-sum-exp), and the predicted class is the most
 *     likely, the lower class on a tie (sklearn's argmax over classes in
 *     sorted order: negative, neutral, positive).
 * A class with no training text gets a prior of 0 and is never predicted. */
#ifndef CRM_BAYES_H
#define CRM_BAYES_H

#include <stddef.h>
#include <stdint.h>

#include "crm.h"

enum crm_bayes_class {
	CRM_BAYES_NEGATIVE,
	CRM_BAYES_NEUTRAL,
	CRM_BAYES_POSITIVE,
	CRM_BAYES__N
};

struct crm_bayes {
	double alpha;
	size_t nvocab, vcap;
	char **tok;                     /* the vocabulary, each NUL-terminated */
	size_t *toklen;
	uint32_t *slot;                 /* open addressing: index + 1, 0 empty */
	size_t nslot;
	double *count;                  /* count[v * CRM_BAYES__N + c] */
	double total[CRM_BAYES__N];     /* tokens per class */
	double docs[CRM_BAYES__N];      /* texts per class */
	double *logp;                   /* after crm_bayes_finish: like count */
	double log_prior[CRM_BAYES__N];
};

void crm_bayes_init(struct crm_bayes *, double alpha);
void crm_bayes_free(struct crm_bayes *);
/* Counts one training text of class cls. */
void crm_bayes_add(struct crm_bayes *, const char *text, size_t len, enum crm_bayes_class cls);
/* Turns the counts into the model. CRM_EINVAL without any training text. */
enum crm_err crm_bayes_finish(struct crm_bayes *);
/* The class probabilities of text into prob[CRM_BAYES__N]; returns the
 * predicted class. known, when not NULL, gets how many of the text's
 * tokens the vocabulary holds: with none, the answer is the priors alone. */
enum crm_bayes_class crm_bayes_predict(const struct crm_bayes *, const char *text, size_t len,
    double *prob, size_t *known);

/* "negative", "neutral", "positive"; and back (-1: none of them). */
const char *crm_bayes_class_name(enum crm_bayes_class);
int crm_bayes_class_of(const char *name);

#endif
