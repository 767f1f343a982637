// The Node-API half of the native prelude (prelude.ts has the compute half, and joins the two):
// JS errors thrown from C++, typed-array and number[] arguments read into views (zero-copy where
// the type matches), rows of rank-2 arrays, scalars, the argument count, async work. A fragment:
// it continues prelude.ts's `namespace hotloop {` and closes it.
export const CPP_PRELUDE_GLUE = String.raw`/** Throws a TypeError into JS; returns false so callers can 'return hotloop::typeError(...)'. */
inline bool typeError(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

/**
 * A typed array argument's element type and elements (byteOffset honoured; null and 0 elements when its
 * buffer was detached, as JS sees it), read with ONE Node-API call; false (nothing thrown) when v is
 * no typed array. node-addon-api's IsTypedArray + TypedArrayType + TypedArrayOf<T>::Data() made three
 * to five calls of ≈ 20 ns an argument, which on a loop of a few hundred elements was the call's cost.
 */
struct Typed {
  napi_typedarray_type type = napi_int8_array;
  void* data = nullptr;
  size_t length = 0;
};
inline bool typedOf(const Napi::Value& v, Typed& t) {
  if (napi_get_typedarray_info(v.Env(), v, &t.type, &t.length, &t.data, nullptr, nullptr) != napi_ok) return false;
  if (!t.data) t.length = 0;
  return true;
}
template <typename T>
inline View<T> viewOf(const Typed& t) { return View<T>{static_cast<T*>(t.data), t.length}; }

/** A typed-array argument of exactly the expected type, viewed in place (byteOffset honoured). */
template <typename T>
inline bool readTyped(const Napi::Value& v, napi_typedarray_type type, const char* typeName, const char* fn,
                      const char* name, View<T>& out) {
  Typed t;
  if (!typedOf(v, t) || t.type != type) {
    return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be a " + typeName);
  }
  out = viewOf<T>(t);
  return true;
}

/** A number[] argument, converted element by element (this is the boundary cost the talk measured). */
inline bool readNumbers(const Napi::Value& v, const char* fn, const char* name, std::vector<double>& copy,
                        View<double>& out) {
  if (!v.IsArray()) return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be an array of numbers");
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  copy.resize(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value e = arr.Get(i);
    if (e.IsNumber()) {
      copy[i] = e.As<Napi::Number>().DoubleValue();
    } else if (e.IsUndefined()) {
      copy[i] = kNaN;  // a hole reads as undefined
    } else {
      return typeError(v.Env(), std::string(fn) + ": element " + std::to_string(i) + " of '" + name + "' is not a number");
    }
  }
  out.data = copy.data();
  out.length = copy.size();
  return true;
}

/**
 * A typed array given for a number[] parameter (t, from typedOf): a Float64Array in place (zero-copy);
 * any other element type (the original accepts it too) converted exactly into doubles. readOnly: false
 * for a parameter the kernel reads after writing it, where only a Float64Array keeps JS's per-write
 * rounding.
 */
inline bool takeAnyTyped(Napi::Env env, const Typed& t, bool readOnly, const char* fn, const char* name,
                         std::vector<double>& copy, View<double>& out) {
  if (t.type == napi_float64_array) {
    out = viewOf<double>(t);
    return true;
  }
  if (!readOnly) return typeError(env, std::string(fn) + ": argument '" + name + "' must be a Float64Array or number[]");
  size_t n = t.length;
  uint8_t* base = static_cast<uint8_t*>(t.data);
  copy.resize(n);
  auto conv = [&](auto* p) { for (size_t i = 0; i < n; i++) copy[i] = static_cast<double>(p[i]); };
  switch (t.type) {
    case napi_float32_array: conv(reinterpret_cast<float*>(base)); break;
    case napi_int32_array: conv(reinterpret_cast<int32_t*>(base)); break;
    case napi_uint32_array: conv(reinterpret_cast<uint32_t*>(base)); break;
    case napi_int16_array: conv(reinterpret_cast<int16_t*>(base)); break;
    case napi_uint16_array: conv(reinterpret_cast<uint16_t*>(base)); break;
    case napi_int8_array: conv(reinterpret_cast<int8_t*>(base)); break;
    case napi_uint8_array:
    case napi_uint8_clamped_array: conv(base); break;
    default:
      return typeError(env, std::string(fn) + ": argument '" + name + "' must be an array of numbers (not a BigInt array)");
  }
  out.data = copy.data();
  out.length = copy.size();
  return true;
}

/** A number[] parameter's argument: a typed array (see takeAnyTyped) or a number[] (copied). */
inline bool readAnyTyped(const Napi::Value& v, bool readOnly, const char* fn, const char* name,
                         std::vector<double>& copy, View<double>& out) {
  Typed t;
  if (typedOf(v, t)) return takeAnyTyped(v.Env(), t, readOnly, fn, name, copy, out);
  return readNumbers(v, fn, name, copy, out);
}

/** Writes a converted copy back into a typed array of another element type, with JS's conversion of each element. */
inline void writeConverted(const Napi::Value& v, const std::vector<double>& copy) {
  auto obj = v.As<Napi::Object>();
  for (uint32_t i = 0; i < copy.size(); i++) obj.Set(i, Napi::Number::New(v.Env(), copy[i]));
}

/** Writes a converted number[] back into the JS array (for arrays the kernel writes). */
inline void writeNumbers(const Napi::Value& v, const std::vector<double>& copy) {
  auto arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < copy.size(); i++) arr.Set(i, Napi::Number::New(v.Env(), copy[i]));
}

/** A rank-2 argument (number[][], Float64Array[]): one view per row; typed rows in place, number[] rows copied into one buffer. */
template <typename T>
struct Rows {
  View<T>* rows = nullptr;
  size_t length = 0;
};
/** The number of rows (JS's a.length of an array of rows). */
template <typename T>
inline double len(const Rows<T>& a) { return static_cast<double>(a.length); }

/**
 * A missing row: JS throws a TypeError reading or setting a property of undefined, at once. The kernel
 * unwinds to the glue with longjmp (its frames hold only doubles, integers and views) and the glue throws
 * that TypeError. kind: 1 reading an element, 2 setting one, 3 reading length; key: the column.
 */
struct RowFault {
  std::jmp_buf* jump = nullptr;
  int kind = 0;
  double key = 0;
};
inline thread_local RowFault rowFault;
[[noreturn]] inline void missingRow(int kind, double key) {
  rowFault.kind = kind;
  rowFault.key = key;
  std::longjmp(*rowFault.jump, 1);
}
inline int64_t rowIndex(int64_t r, size_t n) { return (r >= 0 && static_cast<uint64_t>(r) < n) ? r : -1; }
inline int64_t rowIndex(double r, size_t n) { return index(r, n); }
/** a[r][c] */
template <typename T, typename R, typename C>
inline double load2(const Rows<T>& a, R r, C c) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(1, static_cast<double>(c));
  return load(a.rows[i], c);
}
/** a[r].length */
template <typename T, typename R>
inline double len2(const Rows<T>& a, R r) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(3, 0);
  return static_cast<double>(a.rows[i].length);
}
/** a[r][c] = v */
template <typename T, typename R, typename C>
inline void store2(Rows<T>& a, R r, C c, double v) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(2, static_cast<double>(c));
  store(a.rows[i], c, v);
}
template <typename R, typename C>
inline void storeClamped2(Rows<uint8_t>& a, R r, C c, double v) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(2, static_cast<double>(c));
  storeClamped(a.rows[i], c, v);
}

/** The TypeError JS throws on a missing row (see RowFault), with JS's own spelling of the column. */
inline Napi::Error rowFaultError(Napi::Env env, int kind, double key) {
  std::string k = kind == 3 ? "length" : Napi::Number::New(env, key).ToString().Utf8Value();
  const char* what = kind == 2 ? "Cannot set properties of undefined (setting '" : "Cannot read properties of undefined (reading '";
  return Napi::TypeError::New(env, std::string(what) + k + "')");
}

/** A typed row or a number[] row of a rank-2 argument: number[] rows are copied into one contiguous buffer (off[r] in it; -1 for a row viewed in place). */
template <typename T>
inline bool readRows(const Napi::Value& v, napi_typedarray_type type, const char* typeName, bool numbers, const char* fn,
                     const char* name, std::vector<View<T>>& views, std::vector<double>& copy, std::vector<int64_t>& off,
                     Rows<T>& out) {
  const std::string what = std::string(fn) + ": argument '" + name + "'";
  if (!v.IsArray()) return typeError(v.Env(), what + " must be an array of rows");
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  views.assign(n, View<T>{});
  off.assign(n, -1);
  std::vector<uint32_t> lens(n, 0);
  size_t total = 0;
  for (uint32_t r = 0; r < n; r++) {
    Napi::Value row = arr.Get(r);
    if (numbers && row.IsArray()) {
      off[r] = static_cast<int64_t>(total);
      lens[r] = row.As<Napi::Array>().Length();
      total += lens[r];
    } else if (!readTyped(row, type, typeName, fn, name, views[r])) {
      return false;
    }
  }
  if constexpr (std::is_same_v<T, double>) {
    copy.resize(total);
    for (uint32_t r = 0; r < n; r++) {
      if (off[r] < 0) continue;
      auto row = arr.Get(r).As<Napi::Array>();
      double* d = copy.data() + off[r];
      for (uint32_t i = 0; i < lens[r]; i++) {
        Napi::Value e = row.Get(i);
        if (e.IsNumber()) d[i] = e.As<Napi::Number>().DoubleValue();
        else if (e.IsUndefined()) d[i] = kNaN;  // a hole reads as undefined
        else return typeError(v.Env(), what + ": element " + std::to_string(i) + " of row " + std::to_string(r) + " is not a number");
      }
      views[r] = View<double>{d, lens[r]};
    }
  }
  out.rows = views.data();
  out.length = n;
  return true;
}

/** Writes the copied number[] rows of a rank-2 argument back into the JS rows. */
inline void writeRows(const Napi::Value& v, const std::vector<double>& copy, const std::vector<int64_t>& off,
                      const std::vector<View<double>>& views) {
  auto arr = v.As<Napi::Array>();
  for (uint32_t r = 0; r < off.size(); r++) {
    if (off[r] < 0) continue;
    auto row = arr.Get(r).As<Napi::Array>();
    for (uint32_t i = 0; i < views[r].length; i++) row.Set(i, Napi::Number::New(v.Env(), copy[off[r] + i]));
  }
}

inline bool readScalar(const Napi::Value& v, const char* fn, const char* name, double& out) {
  // One call: napi_number_expected (nothing thrown) for anything but a number.
  if (napi_get_value_double(v.Env(), v, &out) != napi_ok)
    return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be a number");
  return true;
}

// A boolean of the source that the kernel only tests: any JS value, taken as its truthiness (ToBoolean,
// exactly JS's v ? 1 : 0); a Number read would throw on true/false.
inline bool readTruthy(const Napi::Value& v, double& out) {
  out = v.ToBoolean().Value() ? 1 : 0;
  return true;
}

inline bool checkCount(const Napi::CallbackInfo& info, size_t expected, const char* signature) {
  if (info.Length() >= expected) return true;
  return typeError(info.Env(), std::string(signature) + ": expected " + std::to_string(expected) + " arguments, got " +
                                   std::to_string(info.Length()));
}

}  // namespace hotloop
`;
