#include "jsonb.h"

int
tt_jsonb_add(json_object *obj, const char *key, json_object *val, int *err)
{
	if (*err < 0) {
		json_object_put(val);
		return *err;
	}
	if (obj == NULL || val == NULL) {
		json_object_put(val);
		return *err = -ENOMEM;
	}
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return *err = -ENOMEM;
	}
	return 0;
}

int
tt_jsonb_str(json_object *obj, const char *key, const char *s, int *err)
{
	json_object *val;

	if (*err < 0)
		return *err;
	if (s == NULL) {
		/* NULL is json-c's JSON null: not a failure here. */
		if (obj == NULL || json_object_object_add(obj, key, NULL) < 0)
			return *err = -ENOMEM;
		return 0;
	}
	val = json_object_new_string(s);
	return tt_jsonb_add(obj, key, val, err);
}

int
tt_jsonb_int(json_object *obj, const char *key, int64_t v, int *err)
{
	if (*err < 0)
		return *err;
	return tt_jsonb_add(obj, key, json_object_new_int64(v), err);
}

int
tt_jsonb_bool(json_object *obj, const char *key, bool v, int *err)
{
	if (*err < 0)
		return *err;
	return tt_jsonb_add(obj, key, json_object_new_boolean(v), err);
}

static json_object *
add_new(json_object *obj, const char *key, json_object *val, int *err)
{
	if (tt_jsonb_add(obj, key, val, err) < 0)
		return NULL;
	return val;
}

json_object *
tt_jsonb_obj(json_object *obj, const char *key, int *err)
{
	if (*err < 0)
		return NULL;
	return add_new(obj, key, json_object_new_object(), err);
}

json_object *
tt_jsonb_arr(json_object *obj, const char *key, int *err)
{
	if (*err < 0)
		return NULL;
	return add_new(obj, key, json_object_new_array(), err);
}

int
tt_jsonb_append(json_object *arr, json_object *val, int *err)
{
	if (*err < 0) {
		json_object_put(val);
		return *err;
	}
	if (arr == NULL || val == NULL) {
		json_object_put(val);
		return *err = -ENOMEM;
	}
	if (json_object_array_add(arr, val) < 0) {
		json_object_put(val);
		return *err = -ENOMEM;
	}
	return 0;
}

int
tt_jsonb_ref(json_object *obj, const char *key, json_object *v, int *err)
{
	if (*err < 0)
		return *err;
	if (obj == NULL)
		return *err = -ENOMEM;
	if (json_object_object_add(obj, key, json_object_get(v)) < 0) {
		json_object_put(v);
		return *err = -ENOMEM;
	}
	return 0;
}

int
tt_jsonb_append_ref(json_object *arr, json_object *v, int *err)
{
	if (*err < 0)
		return *err;
	if (arr == NULL)
		return *err = -ENOMEM;
	if (json_object_array_add(arr, json_object_get(v)) < 0) {
		json_object_put(v);
		return *err = -ENOMEM;
	}
	return 0;
}
