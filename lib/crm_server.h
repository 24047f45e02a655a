/* A module binary is its own process manager (DESIGN.md): a master that
 * holds the listening socket and keeps N workers, or, started as plain CGI,
 * one request and exit. */
#ifndef CRM_SERVER_H
#define CRM_SERVER_H

#include "crm_http.h"

/* main() of every module: parses the command line, then runs as master,
 * worker or CGI program. Returns the process exit status. */
int crm_server_main(int argc, char **argv, const struct crm_module *);
/* The same for a module served with enum crm_serve_flag flags (crm_http.h). */
int crm_server_main_flags(int argc, char **argv, const struct crm_module *, unsigned flags);

/* Prints the route table: "METHOD PATTERN PERMISSION TEMPLATE" per line. */
void crm_server_print_routes(const struct crm_module *);

#endif
