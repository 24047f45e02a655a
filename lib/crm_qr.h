/* QR codes (libqrencode: 8-bit mode, error correction M, the smallest
 * version that fits) for the two-factor enrolment page, tickets' and
 * quotes' slips, and print campaigns' tracked links (PNG). */
#ifndef CRM_QR_H
#define CRM_QR_H

#include "crm.h"
#include "crm_buf.h"

/* Text of up to 2331 bytes (version 40 at level M) fits. */
#define CRM_QR_MARGIN 4         /* the quiet zone the QR standard asks for */
#define CRM_QR_MARGIN_MAX 64
#define CRM_QR_SCALE_MAX 64

/*
 * Appends a standalone SVG that is also valid inline in HTML:
 *   <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 N N"
 *   shape-rendering="crispEdges" role="img" aria-label="TITLE">
 *   <rect .../><path d="..."/></svg>
 * N is the module count plus twice margin; one user unit is one module, so
 * size it with CSS or width/height on an enclosing element. A white rect is
 * the background and one path draws the dark modules as row runs. There is
 * no script, no XML declaration and no external reference. title is the
 * accessible name (UTF-8; NULL for "QR code"); & < " in it are escaped and
 * control characters become spaces.
 * CRM_EINVAL for empty text or margin outside 0..CRM_QR_MARGIN_MAX,
 * CRM_ETOOBIG for text no QR version holds; nothing is appended then.
 */
enum crm_err crm_qr_svg(struct crm_buf *out, const char *text, int margin,
    const char *title);

/* Appends a plain PBM (P1) image, dark = 1, each module scale pixels
 * square (1..CRM_QR_SCALE_MAX); for tests that decode the code with
 * zbarimg. Errors as crm_qr_svg. */
enum crm_err crm_qr_pbm(struct crm_buf *out, const char *text, int margin,
    int scale);

/* Appends a PNG image (1-bit greyscale, zlib-compressed, no metadata),
 * each module scale pixels square (1..CRM_QR_SCALE_MAX): a QR code to
 * download and print. Errors as crm_qr_pbm. */
enum crm_err crm_qr_png(struct crm_buf *out, const char *text, int margin,
    int scale);

/* Calls run(x, y, length, arg) for each horizontal run of dark modules,
 * top to bottom, in module units without the margin, after setting
 * *width to the module count (run may be NULL to learn only that): for
 * drawing the code in a PDF. Errors as
 * crm_qr_svg. */
enum crm_err crm_qr_runs(const char *text, int *width,
    void (*run)(int x, int y, int length, void *arg), void *arg);

/* Appends "data:image/svg+xml;base64,..." of crm_qr_svg with the default
 * margin: an <img src> the page's CSP allows, with no raw SVG in the
 * template. Errors as crm_qr_svg. */
enum crm_err crm_qr_data_uri(struct crm_buf *out, const char *text, const char *title);

#endif
