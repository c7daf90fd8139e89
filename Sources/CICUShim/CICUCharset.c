#include "CICUCharset.h"
#include <string.h>
#include <unicode/utypes.h>
#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

static void copy_name(char *dst, const char *src) {
    if (!dst) return;
    if (!src) src = "";
    strncpy(dst, src, SD_CHARSET_NAME_CAP - 1);
    dst[SD_CHARSET_NAME_CAP - 1] = 0;
}

int32_t sd_charset_detect(const uint8_t *bytes, int32_t len, int32_t strip_markup,
                          char *names, int32_t *confidences, int32_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err) || !det) return -1;
    ucsdet_enableInputFilter(det, strip_markup ? 1 : 0);
    /* The detector keeps a pointer to the text, which lives until this function returns. */
    ucsdet_setText(det, (const char *)bytes, len, &err);
    int32_t found = 0;
    const UCharsetMatch **matches = U_SUCCESS(err) ? ucsdet_detectAll(det, &found, &err) : NULL;
    if (U_FAILURE(err) || !matches) {
        ucsdet_close(det);
        return U_FAILURE(err) ? -1 : 0;
    }
    int32_t n = 0;
    for (int32_t i = 0; i < found && n < cap; i++) {
        UErrorCode e = U_ZERO_ERROR;
        const char *name = ucsdet_getName(matches[i], &e);
        int32_t confidence = ucsdet_getConfidence(matches[i], &e);
        if (U_FAILURE(e) || !name) continue;
        copy_name(names + (size_t)n * SD_CHARSET_NAME_CAP, name);
        confidences[n] = confidence;
        n++;
    }
    ucsdet_close(det);
    return n;
}

/* Opens a converter whose callbacks stop at the first problem in both directions. */
static UConverter *open_strict(const char *charset, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(charset, &err);
    if (U_FAILURE(err) || !cnv) {
        if (cnv) ucnv_close(cnv);
        *status = SD_CHARSET_UNKNOWN;
        return NULL;
    }
    /* ucnv_open succeeds with a warning for an alias it resolves by fallback; that is fine. */
    err = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_SUCCESS(err))
        ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        ucnv_close(cnv);
        *status = SD_CHARSET_FAILURE;
        return NULL;
    }
    *status = 0;
    return cnv;
}

static int is_illegal(UErrorCode err) {
    return err == U_INVALID_CHAR_FOUND || err == U_ILLEGAL_CHAR_FOUND ||
           err == U_TRUNCATED_CHAR_FOUND || err == U_ILLEGAL_ESCAPE_SEQUENCE ||
           err == U_UNSUPPORTED_ESCAPE_SEQUENCE;
}

int32_t sd_charset_to_utf16(const char *charset, const uint8_t *src, int32_t len,
                            uint16_t *dst, int32_t cap, int32_t *error_offset,
                            char *canonical) {
    int32_t status = 0;
    UConverter *cnv = open_strict(charset, &status);
    if (!cnv) return status;
    if (canonical) {
        UErrorCode e = U_ZERO_ERROR;
        copy_name(canonical, ucnv_getName(cnv, &e));
    }
    const char *source = (const char *)src;
    const char *source_limit = source + len;
    UChar *target = (UChar *)dst;
    UChar *target_limit = target + cap;
    UErrorCode err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv, &target, target_limit, &source, source_limit, NULL, 1, &err);
    int32_t result;
    if (U_SUCCESS(err)) {
        result = (int32_t)(target - (UChar *)dst);
    } else if (err == U_BUFFER_OVERFLOW_ERROR) {
        result = SD_CHARSET_OVERFLOW;
    } else if (is_illegal(err)) {
        /* The offending bytes were consumed and are held as the converter's invalid chars. */
        char invalid[32];
        int8_t invalid_len = (int8_t)sizeof(invalid);
        UErrorCode e = U_ZERO_ERROR;
        ucnv_getInvalidChars(cnv, invalid, &invalid_len, &e);
        if (U_FAILURE(e)) invalid_len = 0;
        if (error_offset) *error_offset = (int32_t)(source - (const char *)src) - invalid_len;
        result = SD_CHARSET_ILLEGAL;
    } else {
        result = SD_CHARSET_FAILURE;
    }
    ucnv_close(cnv);
    return result;
}

int32_t sd_charset_from_utf16(const char *charset, const uint16_t *src, int32_t len,
                              uint8_t *dst, int32_t cap, int32_t *error_offset) {
    int32_t status = 0;
    UConverter *cnv = open_strict(charset, &status);
    if (!cnv) return status;
    const UChar *source = (const UChar *)src;
    const UChar *source_limit = source + len;
    char *target = (char *)dst;
    char *target_limit = target + cap;
    UErrorCode err = U_ZERO_ERROR;
    ucnv_fromUnicode(cnv, &target, target_limit, &source, source_limit, NULL, 1, &err);
    int32_t result;
    if (U_SUCCESS(err)) {
        result = (int32_t)(target - (char *)dst);
    } else if (err == U_BUFFER_OVERFLOW_ERROR) {
        result = SD_CHARSET_OVERFLOW;
    } else if (is_illegal(err)) {
        UChar invalid[4];
        int8_t invalid_len = (int8_t)(sizeof(invalid) / sizeof(invalid[0]));
        UErrorCode e = U_ZERO_ERROR;
        ucnv_getInvalidUChars(cnv, invalid, &invalid_len, &e);
        if (U_FAILURE(e)) invalid_len = 0;
        if (error_offset) *error_offset = (int32_t)(source - (const UChar *)src) - invalid_len;
        result = SD_CHARSET_ILLEGAL;
    } else {
        result = SD_CHARSET_FAILURE;
    }
    ucnv_close(cnv);
    return result;
}
