//! The element-wise arithmetic of the encoder and head, written branch-free so that the
//! compiler vectorises it. Where the CPU has AVX2 and FMA the same code is also compiled for
//! them and chosen at run time, since the release build targets plain x86-64.

const LOG2E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// 1.5·2²³: adding and subtracting it rounds an f32 of magnitude under 2²² to an integer.
const ROUNDER: f32 = 12_582_912.0;

/// eˣ for x ≤ 0 (inputs below −87 give e⁻⁸⁷): 2ⁿ·eʳ with |r| ≤ ln2/2 and a degree-6
/// polynomial, relative error about 2e-7.
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f32) -> f32 {
    let x = if x < -87.0 { -87.0 } else { x };
    let n = (x * LOG2E + ROUNDER) - ROUNDER;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7 in exact arithmetic).
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = ((((1.061_405_4 * t - 1.453_152_1) * t + 1.421_413_8) * t - 0.284_496_72) * t
        + 0.254_829_6)
        * t;
    (1.0 - poly * exp_nonpositive(-z * z)).copysign(x)
}

/// GELU with the exact erf form, as torch's default `gelu`.
#[inline(always)]
pub(crate) fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

#[inline(always)]
fn gelu_all(xs: &mut [f32]) {
    xs.iter_mut().for_each(|x| *x = gelu(*x));
}

#[inline(always)]
fn softmax_all(xs: &mut [f32]) {
    let max = xs
        .iter()
        .fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m });
    xs.iter_mut().for_each(|x| *x = exp_nonpositive(*x - max));
    let inv = 1.0 / sum(xs);
    xs.iter_mut().for_each(|x| *x *= inv);
}

/// `(x − mean) / sqrt(var + eps) · w + b`, the variance without Bessel's correction.
#[inline(always)]
fn layer_norm_all(xs: &mut [f32], w: &[f32], b: &[f32], eps: f32) {
    let n = xs.len() as f32;
    let mean = sum(xs) / n;
    xs.iter_mut().for_each(|x| *x -= mean);
    let var = dot_lanes(xs, xs) / n;
    let inv = 1.0 / (var + eps).sqrt();
    xs.iter_mut()
        .zip(w.iter().zip(b))
        .for_each(|(x, (w, b))| *x = *x * inv * w + b);
}

/// A dot product in eight independent lanes, so the compiler can vectorise it (a plain
/// iterator sum must keep the sequential order of float additions).
#[inline(always)]
fn dot_lanes(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[inline(always)]
fn sum(xs: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let c = xs.chunks_exact(8);
    let tail: f32 = c.remainder().iter().sum();
    for x in c {
        for k in 0..8 {
            lanes[k] += x[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

macro_rules! wide {
    ($name:ident, $inner:ident, $wide:ident, ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $wide($($arg: $ty),*) $(-> $ret)? {
            $inner($($arg),*)
        }

        #[allow(unreachable_code)]
        pub(crate) fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                // SAFETY: the CPU has the features the function was compiled for.
                return unsafe { $wide($($arg),*) };
            }
            $inner($($arg),*)
        }
    };
}

wide!(gelu_in_place, gelu_all, gelu_avx2, (xs: &mut [f32]));
wide!(softmax_in_place, softmax_all, softmax_avx2, (xs: &mut [f32]));
wide!(layer_norm_in_place, layer_norm_all, layer_norm_avx2, (xs: &mut [f32], w: &[f32], b: &[f32], eps: f32));
wide!(dot, dot_lanes, dot_avx2, (a: &[f32], b: &[f32]) -> f32);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_close_to_std_over_its_range() {
        for i in 0..=2000 {
            let x = -(i as f32) * 0.05;
            let (got, want) = (exp_nonpositive(x), x.exp());
            assert!(
                (got - want).abs() <= 4e-7 * want + 1e-37,
                "exp({x}) = {got}, std {want}"
            );
        }
        assert!(exp_nonpositive(-500.0) < 1e-37);
    }

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
            (4.0, 0.999_999_98),
        ] {
            assert!((erf(x) - want).abs() < 1e-6, "erf({x}) = {}", erf(x));
        }
    }

    #[test]
    fn wide_and_plain_kernels_agree() {
        let xs: Vec<f32> = (0..37).map(|i| (i as f32 * 0.37).sin() * 4.0).collect();
        let (mut a, mut b) = (xs.clone(), xs.clone());
        gelu_in_place(&mut a);
        gelu_all(&mut b);
        for ((x, p), q) in xs.iter().zip(&a).zip(&b) {
            assert!((p - q).abs() < 1e-6);
            assert!((gelu(*x) - p).abs() < 1e-6);
        }
        let mut s = xs.clone();
        softmax_in_place(&mut s);
        let total: f64 = xs.iter().map(|x| (*x as f64).exp()).sum();
        for (x, p) in xs.iter().zip(&s) {
            assert!(((*x as f64).exp() / total - *p as f64).abs() < 1e-6);
        }
    }

    #[test]
    fn layer_norm_gives_zero_mean_unit_variance() {
        let mut xs: Vec<f32> = (0..20).map(|i| i as f32 * 1.5 - 4.0).collect();
        let (w, b) = (vec![1.0; 20], vec![0.0; 20]);
        layer_norm_in_place(&mut xs, &w, &b, 1e-12);
        let mean: f32 = xs.iter().sum::<f32>() / 20.0;
        let var: f32 = xs.iter().map(|x| x * x).sum::<f32>() / 20.0;
        assert!(
            mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
            "{mean} {var}"
        );
    }

    #[test]
    fn lane_dot_equals_the_plain_sum() {
        let a: Vec<f32> = (0..21).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..21).map(|i| 1.0 - i as f32 * 0.25).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
    }
}
