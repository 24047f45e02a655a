/* The C side of the sentiment reference check (check_sentiment.sh):
 * trains our naive Bayes (analytics/bayes.h) on labelled text and
 * predicts the test texts.
 *   sentiment_ref TRAIN TEST OUT
 * TRAIN and TEST: one "label<TAB>text" line each (the label one of
 * negative, neutral, positive). OUT: "class p_negative p_neutral
 * p_positive" per test line, then "vocabulary N". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/bayes.h"

/* Splits a line into its label and text; NULL text on a bad line. */
static const char *
split(char *line, int *cls)
{
	char *tab = strchr(line, '\t');
	size_t len;

	if (tab == NULL)
		return NULL;
	*tab = '\0';
	len = strlen(tab + 1);
	while (len > 0 && (tab[len] == '\n' || tab[len] == '\r'))
		tab[len--] = '\0';
	*cls = crm_bayes_class_of(line);
	return *cls < 0 ? NULL : tab + 1;
}

int
main(int argc, char **argv)
{
	struct crm_bayes m;
	char *line = NULL;
	const char *text;
	size_t cap = 0, lineno = 0;
	double prob[CRM_BAYES__N];
	int cls;
	FILE *in, *out;

	if (argc != 4) {
		fprintf(stderr, "usage: sentiment_ref TRAIN TEST OUT\n");
		return 2;
	}
	crm_bayes_init(&m, 1.0);
	if ((in = fopen(argv[1], "r")) == NULL)
		return 2;
	while (getline(&line, &cap, in) > 0) {
		lineno++;
		if ((text = split(line, &cls)) == NULL) {
			fprintf(stderr, "sentiment_ref: %s:%zu: not label<TAB>text\n", argv[1], lineno);
			return 2;
		}
		crm_bayes_add(&m, text, strlen(text), (enum crm_bayes_class)cls);
	}
	fclose(in);
	if (crm_bayes_finish(&m) != CRM_OK)
		return 1;
	if ((in = fopen(argv[2], "r")) == NULL || (out = fopen(argv[3], "w")) == NULL)
		return 2;
	while (getline(&line, &cap, in) > 0) {
		if ((text = split(line, &cls)) == NULL)
			return 2;
		cls = (int)crm_bayes_predict(&m, text, strlen(text), prob, NULL);
		fprintf(out, "%s %.17g %.17g %.17g\n", crm_bayes_class_name((enum crm_bayes_class)cls),
		    prob[0], prob[1], prob[2]);
	}
	fprintf(out, "vocabulary %zu\n", m.nvocab);
	fclose(in);
	fclose(out);
	free(line);
	crm_bayes_free(&m);
	return 0;
}
