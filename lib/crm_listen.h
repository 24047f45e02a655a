/* Where the listening socket comes from: systemd socket activation,
 * spawn-fcgi's fd 0, or --listen unix:PATH | tcp:HOST:PORT. */
#ifndef CRM_LISTEN_H
#define CRM_LISTEN_H

#include "crm.h"

/* Opens --listen addr; unix sockets get the given mode (e.g. 0660).
 * On failure writes a message to err. */
int crm_listen_open(const char *addr, int mode, char *err, size_t errlen);
/* The socket systemd passed (LISTEN_FDS/LISTEN_PID), or -1. */
int crm_listen_systemd(void);
/* True when fd is a listening socket (spawn-fcgi leaves one on fd 0). */
int crm_listen_is_socket(int fd);

#endif
