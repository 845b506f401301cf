/*
 * setup_db.h — comprobarctl setup-db: on a local MariaDB, reached through
 * its unix socket as root (unix_socket authentication), creates the
 * database and the user named in [database], gives the user a generated
 * password, writes the credentials into the drop-in CONFIG.d/
 * 50-database.conf (never into the packaged conffile, so dpkg never asks
 * about it on upgrade), and runs the migrations as that user.  Running it
 * again changes nothing that works: a password that already connects is
 * kept.
 */
#ifndef CB_SETUP_DB_H
#define CB_SETUP_DB_H

#include "conf/config.h"

/* config_path: the file cfg was loaded from (its drop-in directory is
 * config_path + ".d").  argv: what follows "setup-db".  Returns an exit
 * status. */
int ctl_setup_db(const char *config_path, const struct config *cfg,
    int argc, char **argv);

#endif
