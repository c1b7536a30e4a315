/*
 * Internal to the feed module: the domain's words, each written once. The
 * catalogue's ENUM columns (catalog.c) and the lookups of feed.h (words.c)
 * are both built from these macros, so the enumeration a file is checked
 * against and the one every module reads are the same text.
 */
#ifndef PUHUI_FEED_WORDS_H
#define PUHUI_FEED_WORDS_H

/* registration.status, in the order of ph_business_status */
#define WORD_ACTIVE "active"
#define WORD_ABNORMAL "abnormal"
#define WORD_DEREGISTERED "deregistered"
#define WORD_REVOKED "revoked"
#define BUSINESS_STATUS_VALUES WORD_ACTIVE "|" WORD_ABNORMAL "|" WORD_DEREGISTERED "|" WORD_REVOKED

/* tax_grades.grade, best first */
#define WORD_GRADE_A "A"
#define WORD_GRADE_B "B"
#define WORD_GRADE_M "M"
#define WORD_GRADE_C "C"
#define WORD_GRADE_D "D"
#define TAX_GRADE_VALUES \
    WORD_GRADE_A "|" WORD_GRADE_B "|" WORD_GRADE_M "|" WORD_GRADE_C "|" WORD_GRADE_D

#endif
