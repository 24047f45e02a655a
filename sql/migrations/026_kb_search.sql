-- The knowledge base's own full-text index, Mroonga with bigram tokens as
-- search_index (006_search.sql says why): Chinese without a dictionary,
-- Latin words by prefix. A table of its own rather than rows in
-- search_index, whose entity numbers, owner and team columns are the
-- customers' records' and whose rebuild walks contacts and accounts only.
--
-- Mroonga does not roll back with InnoDB: the service program writes an
-- article's row right after its transaction commits, every search joins
-- back to kb_articles (the live status decides what is shown), and the
-- published flag here only keeps drafts from taking the public's places.
CREATE TABLE kb_search (
  article_id BIGINT UNSIGNED NOT NULL,
  published TINYINT UNSIGNED NOT NULL DEFAULT 0,
  title VARCHAR(200) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  PRIMARY KEY (article_id),
  KEY kb_search_published (published),
  FULLTEXT KEY kb_search_text (title, body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"'
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4;
