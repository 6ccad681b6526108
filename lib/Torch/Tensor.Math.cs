using static Lib.Torch.Native.LibNative;

namespace Lib.Torch;

// Element-wise arithmetic, comparisons and their in-place variants (trailing underscore, as in PyTorch).
public partial class Tensor
{
    public Tensor add(Tensor other, Scalar? alpha = null) => new(ts_add(Handle, other.Handle, alpha?.Value ?? 1, alpha?.IntFlag ?? 1));
    public Tensor add(Scalar other) => new(ts_add_scalar(Handle, other.Value, other.IntFlag));
    public Tensor add_(Tensor other, Scalar? alpha = null) { Check(ts_add_(Handle, other.Handle, alpha?.Value ?? 1, alpha?.IntFlag ?? 1)); return this; }
    public Tensor add_(Scalar other) { Check(ts_add_scalar_(Handle, other.Value, other.IntFlag)); return this; }

    public Tensor sub(Tensor other, Scalar? alpha = null) => new(ts_sub(Handle, other.Handle, alpha?.Value ?? 1, alpha?.IntFlag ?? 1));
    public Tensor sub(Scalar other) => new(ts_sub_scalar(Handle, other.Value, other.IntFlag));
    public Tensor sub_(Tensor other, Scalar? alpha = null) { Check(ts_sub_(Handle, other.Handle, alpha?.Value ?? 1, alpha?.IntFlag ?? 1)); return this; }
    public Tensor sub_(Scalar other) { Check(ts_sub_scalar_(Handle, other.Value, other.IntFlag)); return this; }

    public Tensor mul(Tensor other) => new(ts_mul(Handle, other.Handle));
    public Tensor mul(Scalar other) => new(ts_mul_scalar(Handle, other.Value, other.IntFlag));
    public Tensor mul_(Tensor other) { Check(ts_mul_(Handle, other.Handle)); return this; }
    public Tensor mul_(Scalar other) { Check(ts_mul_scalar_(Handle, other.Value, other.IntFlag)); return this; }

    public Tensor div(Tensor other) => new(ts_div(Handle, other.Handle));
    public Tensor div(Scalar other) => new(ts_div_scalar(Handle, other.Value, other.IntFlag));
    public Tensor div_(Tensor other) { Check(ts_div_(Handle, other.Handle)); return this; }
    public Tensor div_(Scalar other) { Check(ts_div_scalar_(Handle, other.Value, other.IntFlag)); return this; }

    public Tensor pow(Tensor exponent) => new(ts_pow(Handle, exponent.Handle));
    public Tensor pow(Scalar exponent) => new(ts_pow_scalar(Handle, exponent.Value, exponent.IntFlag));
    public Tensor pow_(Scalar exponent) { Check(ts_pow_scalar_(Handle, exponent.Value, exponent.IntFlag)); return this; }

    public Tensor maximum(Tensor other) => new(ts_maximum(Handle, other.Handle));
    public Tensor minimum(Tensor other) => new(ts_minimum(Handle, other.Handle));
    public Tensor matmul(Tensor other) => new(ts_matmul(Handle, other.Handle));

    public Tensor eq(Tensor other) => new(ts_eq(Handle, other.Handle));
    public Tensor ne(Tensor other) => new(ts_ne(Handle, other.Handle));
    public Tensor lt(Tensor other) => new(ts_lt(Handle, other.Handle));
    public Tensor le(Tensor other) => new(ts_le(Handle, other.Handle));
    public Tensor gt(Tensor other) => new(ts_gt(Handle, other.Handle));
    public Tensor ge(Tensor other) => new(ts_ge(Handle, other.Handle));
    public Tensor eq(Scalar other) => new(ts_eq_scalar(Handle, other.Value, other.IntFlag));
    public Tensor ne(Scalar other) => new(ts_ne_scalar(Handle, other.Value, other.IntFlag));
    public Tensor lt(Scalar other) => new(ts_lt_scalar(Handle, other.Value, other.IntFlag));
    public Tensor le(Scalar other) => new(ts_le_scalar(Handle, other.Value, other.IntFlag));
    public Tensor gt(Scalar other) => new(ts_gt_scalar(Handle, other.Value, other.IntFlag));
    public Tensor ge(Scalar other) => new(ts_ge_scalar(Handle, other.Value, other.IntFlag));
    public Tensor logical_and(Tensor other) => new(ts_logical_and(Handle, other.Handle));
    public Tensor logical_or(Tensor other) => new(ts_logical_or(Handle, other.Handle));
    public Tensor logical_not() => new(ts_logical_not(Handle));
    public Tensor isnan() => new(ts_isnan(Handle));
    public Tensor isfinite() => new(ts_isfinite(Handle));

    public Tensor neg() => new(ts_neg(Handle));
    public Tensor neg_() { Check(ts_neg_(Handle)); return this; }
    public Tensor abs() => new(ts_abs(Handle));
    public Tensor abs_() { Check(ts_abs_(Handle)); return this; }
    public Tensor exp() => new(ts_exp(Handle));
    public Tensor exp_() { Check(ts_exp_(Handle)); return this; }
    public Tensor log() => new(ts_log(Handle));
    public Tensor log_() { Check(ts_log_(Handle)); return this; }
    public Tensor log10() => new(ts_log10(Handle));
    public Tensor sqrt() => new(ts_sqrt(Handle));
    public Tensor sqrt_() { Check(ts_sqrt_(Handle)); return this; }
    public Tensor rsqrt() => new(ts_rsqrt(Handle));
    public Tensor sin() => new(ts_sin(Handle));
    public Tensor cos() => new(ts_cos(Handle));
    public Tensor floor() => new(ts_floor(Handle));
    public Tensor ceil() => new(ts_ceil(Handle));
    public Tensor round() => new(ts_round(Handle));
    public Tensor sign() => new(ts_sign(Handle));
    public Tensor reciprocal() => new(ts_reciprocal(Handle));
    public Tensor tanh() => new(ts_tanh(Handle));
    public Tensor tanh_() { Check(ts_tanh_(Handle)); return this; }
    public Tensor sigmoid() => new(ts_sigmoid(Handle));
    public Tensor sigmoid_() { Check(ts_sigmoid_(Handle)); return this; }
    public Tensor relu() => new(ts_relu(Handle));
    public Tensor relu_() { Check(ts_relu_(Handle)); return this; }
    public Tensor square() => mul(this);

    public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
        new(ts_clamp(Handle, min.HasValue ? 1 : 0, min?.Value ?? 0, max.HasValue ? 1 : 0, max?.Value ?? 0));
    public Tensor clamp_(Scalar? min = null, Scalar? max = null)
    {
        Check(ts_clamp_(Handle, min.HasValue ? 1 : 0, min?.Value ?? 0, max.HasValue ? 1 : 0, max?.Value ?? 0));
        return this;
    }
    public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);

    public Tensor where(Tensor condition, Tensor other) => new(ts_where(condition.Handle, Handle, other.Handle));

    public Tensor addcmul(Tensor t1, Tensor t2, Scalar? value = null) => new(ts_addcmul(Handle, t1.Handle, t2.Handle, value?.Value ?? 1));
    public Tensor addcmul_(Tensor t1, Tensor t2, Scalar? value = null) { Check(ts_addcmul_(Handle, t1.Handle, t2.Handle, value?.Value ?? 1)); return this; }
    public Tensor addcdiv(Tensor t1, Tensor t2, Scalar? value = null) => new(ts_addcdiv(Handle, t1.Handle, t2.Handle, value?.Value ?? 1));
    public Tensor addcdiv_(Tensor t1, Tensor t2, Scalar? value = null) { Check(ts_addcdiv_(Handle, t1.Handle, t2.Handle, value?.Value ?? 1)); return this; }
    public Tensor lerp_(Tensor end, Scalar weight) { Check(ts_lerp_(Handle, end.Handle, weight.Value)); return this; }

    public Tensor fill_(Scalar value) { Check(ts_fill_(Handle, value.Value, value.IntFlag)); return this; }
    public Tensor zero_() { Check(ts_zero_(Handle)); return this; }
    public Tensor uniform_(double from = 0, double to = 1) { Check(ts_uniform_(Handle, from, to)); return this; }
    public Tensor normal_(double mean = 0, double std = 1) { Check(ts_normal_(Handle, mean, std)); return this; }
    public Tensor bernoulli_(double p = 0.5) { Check(ts_bernoulli_(Handle, p)); return this; }

    // ---- operators: each allocates a new tensor (use the _ methods to work in place) ----------

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
    public static Tensor operator -(Scalar a, Tensor b) => new(ts_rsub_scalar(b.Handle, a.Value, a.IntFlag));
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
    public static Tensor operator /(Scalar a, Tensor b) => new(ts_rdiv_scalar(b.Handle, a.Value, a.IntFlag));
    public static Tensor operator -(Tensor a) => a.neg();
    public static Tensor operator !(Tensor a) => a.logical_not();
    public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
    public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
    public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);

    /// <summary>Scalar raised to a tensor power (PyTorch's <c>2 ** t</c>).</summary>
    public static Tensor pow(Scalar a, Tensor b) => new(ts_rpow_scalar(b.Handle, a.Value, a.IntFlag));
}
