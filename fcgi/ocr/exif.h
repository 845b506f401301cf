/*
 * exif.h — the orientation tag of a JPEG's EXIF block (phones store the
 * sensor image and say how to turn it).  A bounded parser of hostile
 * bytes: it reads only inside the buffer it is given.
 */
#ifndef CB_OCR_EXIF_H
#define CB_OCR_EXIF_H

#include <stddef.h>

/* 1..8 as EXIF defines it; 1 (as stored) when absent or unreadable. */
int exif_orientation(const unsigned char *jpeg, size_t len);

#endif
