/*
 * doctor.h — comprobarctl doctor: is this installation able to run?  The
 * database (reachable, schema current), the document directory (there,
 * ours, writable, not world-readable), the OCR languages, the FastCGI
 * socket (accepting), the JWT keys, and nginx's config (when the site is
 * installed).  One line per check; exit 0 only when none failed.
 */
#ifndef CB_DOCTOR_H
#define CB_DOCTOR_H

#include "conf/config.h"
#include "store/db.h"

/* argv: what follows "doctor": [--socket PATH] */
int ctl_doctor(const struct config *cfg, struct db_conn *db, int argc,
    char **argv);

#endif
