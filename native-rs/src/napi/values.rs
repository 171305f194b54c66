//! Converting between JS values and Rust ones, with a JS exception (not a
//! crash) when a caller passes the wrong type.
use std::ffi::CString;
use std::ptr::null_mut;

use super::ffi::*;

pub struct Args {
    pub env: napi_env,
    values: Vec<napi_value>,
}

/// A bad argument: becomes a thrown TypeError-like Error in JS.
pub struct BadArg(pub String);

pub unsafe fn args(env: napi_env, info: napi_callback_info) -> Args {
    let mut argc: usize = 8;
    let mut values = vec![null_mut(); argc];
    napi_get_cb_info(env, info, &mut argc, values.as_mut_ptr(), null_mut(), null_mut());
    values.truncate(argc.min(8));
    Args { env, values }
}

impl Args {
    fn get(&self, i: usize) -> Result<napi_value, BadArg> {
        self.values.get(i).copied().ok_or_else(|| BadArg(format!("argument {} is missing", i)))
    }

    pub fn number(&self, i: usize) -> Result<f64, BadArg> {
        let mut out = 0f64;
        let status = unsafe { napi_get_value_double(self.env, self.get(i)?, &mut out) };
        if status != NAPI_OK {
            return Err(BadArg(format!("argument {} must be a number", i)));
        }
        Ok(out)
    }

    pub fn int(&self, i: usize) -> Result<i32, BadArg> {
        Ok(self.number(i)? as i32)
    }

    pub fn string(&self, i: usize) -> Result<String, BadArg> {
        string_of(self.env, self.get(i)?).ok_or_else(|| BadArg(format!("argument {} must be a string", i)))
    }

    pub fn numbers(&self, i: usize) -> Result<Vec<f64>, BadArg> {
        let array = self.get(i)?;
        let mut len = 0u32;
        if unsafe { napi_get_array_length(self.env, array, &mut len) } != NAPI_OK {
            return Err(BadArg(format!("argument {} must be an array", i)));
        }
        (0..len)
            .map(|k| {
                let mut item = null_mut();
                let mut out = 0f64;
                unsafe { napi_get_element(self.env, array, k, &mut item) };
                match unsafe { napi_get_value_double(self.env, item, &mut out) } {
                    NAPI_OK => Ok(out),
                    _ => Err(BadArg(format!("argument {} must hold numbers", i))),
                }
            })
            .collect()
    }
}

fn string_of(env: napi_env, value: napi_value) -> Option<String> {
    let mut len = 0usize;
    unsafe {
        if napi_get_value_string_utf8(env, value, null_mut(), 0, &mut len) != NAPI_OK {
            return None;
        }
        let mut buf = vec![0u8; len + 1];
        napi_get_value_string_utf8(env, value, buf.as_mut_ptr() as *mut _, len + 1, &mut len);
        buf.truncate(len);
        String::from_utf8(buf).ok()
    }
}

pub fn number(env: napi_env, v: f64) -> napi_value {
    let mut out = null_mut();
    unsafe { napi_create_double(env, v, &mut out) };
    out
}

pub fn string(env: napi_env, s: &str) -> napi_value {
    let mut out = null_mut();
    unsafe { napi_create_string_utf8(env, s.as_ptr() as *const _, s.len(), &mut out) };
    out
}

pub fn number_array(env: napi_env, items: &[f64]) -> napi_value {
    let mut out = null_mut();
    unsafe {
        napi_create_array_with_length(env, items.len(), &mut out);
        for (i, v) in items.iter().enumerate() {
            napi_set_element(env, out, i as u32, number(env, *v));
        }
    }
    out
}

pub fn object(env: napi_env, fields: &[(&str, napi_value)]) -> napi_value {
    let mut out = null_mut();
    unsafe {
        napi_create_object(env, &mut out);
        for (name, value) in fields {
            let key = CString::new(*name).unwrap();
            napi_set_named_property(env, out, key.as_ptr(), *value);
        }
    }
    out
}

pub fn throw(env: napi_env, message: &str) -> napi_value {
    let msg = CString::new(message.replace('\0', " ")).unwrap();
    unsafe { napi_throw_error(env, null_mut(), msg.as_ptr()) };
    null_mut()
}
