/* Multinomial naive Bayes (bayes.h). The vocabulary is a hash table of
 * the training tokens; predicting looks each token up and adds its row of
 * log probabilities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/bayes.h"
#include "analytics/tokens.h"

static const char *const class_names[CRM_BAYES__N] = { "negative", "neutral", "positive" };

const char *
crm_bayes_class_name(enum crm_bayes_class c)
{
	return (unsigned)c < CRM_BAYES__N ? class_names[c] : "";
}

int
crm_bayes_class_of(const char *name)
{
	int c;

	for (c = 0; c < CRM_BAYES__N; c++)
		if (name != NULL && strcmp(name, class_names[c]) == 0)
			return c;
	return -1;
}

static uint32_t
hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of token s: its own, or the empty one it would take. */
static size_t
find(const struct crm_bayes *m, const char *s, size_t len)
{
	size_t i = hash(s, len) & (m->nslot - 1);
	uint32_t v;

	while ((v = m->slot[i]) != 0) {
		if (m->toklen[v - 1] == len && memcmp(m->tok[v - 1], s, len) == 0)
			return i;
		i = (i + 1) & (m->nslot - 1);
	}
	return i;
}

static void
grow(struct crm_bayes *m)
{
	size_t v, i;

	free(m->slot);
	m->nslot *= 2;
	m->slot = crm_xcalloc(m->nslot, sizeof(*m->slot));
	for (v = 0; v < m->nvocab; v++) {
		i = find(m, m->tok[v], m->toklen[v]);
		m->slot[i] = (uint32_t)(v + 1);
	}
}

void
crm_bayes_init(struct crm_bayes *m, double alpha)
{
	memset(m, 0, sizeof(*m));
	m->alpha = alpha;
	m->nslot = 1024;
	m->slot = crm_xcalloc(m->nslot, sizeof(*m->slot));
}

void
crm_bayes_free(struct crm_bayes *m)
{
	size_t v;

	for (v = 0; v < m->nvocab; v++)
		free(m->tok[v]);
	free(m->tok);
	free(m->toklen);
	free(m->slot);
	free(m->count);
	free(m->logp);
	memset(m, 0, sizeof(*m));
}

struct adding {
	struct crm_bayes *m;
	enum crm_bayes_class cls;
};

static void
add_token(void *arg, const char *s, size_t len)
{
	struct adding *a = arg;
	struct crm_bayes *m = a->m;
	size_t i, v;

	i = find(m, s, len);
	if (m->slot[i] == 0) {
		if (m->nvocab == m->vcap) {
			m->vcap = m->vcap ? m->vcap * 2 : 256;
			m->tok = crm_xrealloc(m->tok, m->vcap * sizeof(*m->tok));
			m->toklen = crm_xrealloc(m->toklen, m->vcap * sizeof(*m->toklen));
			m->count = crm_xrealloc(m->count, m->vcap * CRM_BAYES__N * sizeof(*m->count));
		}
		v = m->nvocab++;
		m->tok[v] = crm_xmalloc(len + 1);
		memcpy(m->tok[v], s, len);
		m->tok[v][len] = '\0';
		m->toklen[v] = len;
		memset(m->count + v * CRM_BAYES__N, 0, CRM_BAYES__N * sizeof(*m->count));
		m->slot[i] = (uint32_t)(v + 1);
		if (m->nvocab * 2 > m->nslot)
			grow(m);
	} else
		v = m->slot[i] - 1;
	m->count[v * CRM_BAYES__N + a->cls] += 1.0;
	m->total[a->cls] += 1.0;
}

void
crm_bayes_add(struct crm_bayes *m, const char *text, size_t len, enum crm_bayes_class cls)
{
	struct adding a = { m, cls };

	if ((unsigned)cls >= CRM_BAYES__N)
		return;
	m->docs[cls] += 1.0;
	crm_tokens(text, len, add_token, &a);
}

enum crm_err
crm_bayes_finish(struct crm_bayes *m)
{
	double ndocs = 0.0, denom;
	size_t v;
	int c;

	for (c = 0; c < CRM_BAYES__N; c++)
		ndocs += m->docs[c];
	if (ndocs == 0.0)
		return CRM_EINVAL;
	free(m->logp);
	m->logp = crm_xmalloc((m->nvocab + 1) * CRM_BAYES__N * sizeof(*m->logp));
	for (c = 0; c < CRM_BAYES__N; c++) {
		m->log_prior[c] = m->docs[c] > 0.0 ? log(m->docs[c]) - log(ndocs) : -INFINITY;
		denom = log(m->total[c] + m->alpha * (double)m->nvocab);
		for (v = 0; v < m->nvocab; v++)
			m->logp[v * CRM_BAYES__N + c] = log(m->count[v * CRM_BAYES__N + c] + m->alpha) - denom;
	}
	return CRM_OK;
}

struct scoring {
	const struct crm_bayes *m;
	double jll[CRM_BAYES__N];
	size_t known;
};

static void
score_token(void *arg, const char *s, size_t len)
{
	struct scoring *sc = arg;
	const struct crm_bayes *m = sc->m;
	size_t i = find(m, s, len), v;
	int c;

	if (m->slot[i] == 0)
		return;
	v = m->slot[i] - 1;
	sc->known++;
	for (c = 0; c < CRM_BAYES__N; c++)
		sc->jll[c] += m->logp[v * CRM_BAYES__N + c];
}

enum crm_bayes_class
crm_bayes_predict(const struct crm_bayes *m, const char *text, size_t len, double *prob, size_t *known)
{
	struct scoring sc;
	double top, sum = 0.0;
	int c, best = 0;

	sc.m = m;
	sc.known = 0;
	for (c = 0; c < CRM_BAYES__N; c++)
		sc.jll[c] = m->log_prior[c];
	crm_tokens(text, len, score_token, &sc);
	for (c = 1; c < CRM_BAYES__N; c++)
		if (sc.jll[c] > sc.jll[best])
			best = c;
	top = sc.jll[best];
	for (c = 0; c < CRM_BAYES__N; c++)
		sum += isinf(sc.jll[c]) ? 0.0 : exp(sc.jll[c] - top);
	for (c = 0; c < CRM_BAYES__N; c++)
		prob[c] = isinf(sc.jll[c]) ? 0.0 : exp(sc.jll[c] - top) / sum;
	if (known != NULL)
		*known = sc.known;
	return (enum crm_bayes_class)best;
}
