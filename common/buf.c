#include <stdarg.h>
#include <stdio.h>

#include "buf.h"
#include "tt.h"

void
tt_buf_init(struct tt_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int
buf_reserve(struct tt_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return -E2BIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (cap < need)
		cap = need;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
tt_buf_append(struct tt_buf *b, const void *data, size_t len)
{
	int r;

	if ((r = buf_reserve(b, len)) < 0)
		return r;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
tt_buf_puts(struct tt_buf *b, const char *s)
{
	return tt_buf_append(b, s, strlen(s));
}

int
tt_buf_putc(struct tt_buf *b, char c)
{
	return tt_buf_append(b, &c, 1);
}

int
tt_buf_vprintf(struct tt_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, r;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	if ((r = buf_reserve(b, (size_t)n)) < 0)
		return r;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
tt_buf_printf(struct tt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tt_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
tt_buf_reset(struct tt_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
tt_buf_steal(struct tt_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = strdup("");
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void
tt_buf_free(struct tt_buf *b)
{
	if (b == NULL)
		return;
	TT_FREE(b->data);
	b->len = 0;
	b->cap = 0;
}

void
tt_buf_free_secret(struct tt_buf *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL)
		explicit_bzero(b->data, b->cap);
	tt_buf_free(b);
}
