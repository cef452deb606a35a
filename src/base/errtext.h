/* Error messages without musl's strerror table (2.2 KB): the errors
 * gracefulinit can meet, in musl's words; any other is "error N". */
#ifndef GRACEFULINIT_ERRTEXT_H
#define GRACEFULINIT_ERRTEXT_H

/* Valid until the next call for an error the table does not have. */
const char *error_text(int err);

#endif
