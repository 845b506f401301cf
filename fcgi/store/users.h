/*
 * users.h — reviewer and admin accounts for the HTML pages.  Passwords are
 * stored only as crypto/password.h hashes.
 */
#ifndef CB_USERS_H
#define CB_USERS_H

#include "store/db.h"

#define USERNAME_MAX 64

/* role: "reviewer" or "admin".  CB_EEXIST if the name is taken. */
cb_err users_add(struct db_conn *c, const char *username, const char *role,
    const char *password_hash);
/* CB_ENOTFOUND if no such user. */
cb_err users_set_password(struct db_conn *c, const char *username,
    const char *password_hash);
cb_err users_disable(struct db_conn *c, const char *username);

#endif
