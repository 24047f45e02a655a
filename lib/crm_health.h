/* GET /<module>/health on every module: whether this instance can reach
 * the database, for nginx's neighbours (a load balancer, a monitor) to
 * take a host out of service. */
#ifndef CRM_HEALTH_H
#define CRM_HEALTH_H

#include "crm_http.h"

/* A route handler (JSON; 503 when the database cannot be reached). */
int crm_health(struct crm_ctx *);

#endif
