using Lib.Torch;
using static Lib.Torch.torch;

namespace Lib.Tests;

public class TensorTests
{
    [Fact]
    public void Creation_and_round_trip_through_arrays()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<double>());
        using var z = zeros(4, 5);
        Assert.Equal(0f, z.sum().item<float>());
        using var o = ones([2, 2], float64);
        Assert.Equal(ScalarType.Float64, o.dtype);
        using var f = full([3], 7);
        Assert.Equal(ScalarType.Int64, f.dtype);
        Assert.Equal(new long[] { 7, 7, 7 }, f.ToArray<long>());
        using var r = arange(0, 10, 2);
        Assert.Equal(new long[] { 0, 2, 4, 6, 8 }, r.ToArray<long>());
        using var b = tensor(new byte[] { 0, 128, 255 });
        Assert.Equal(ScalarType.Byte, b.dtype);
        using var bl = b.gt(100);
        Assert.Equal(new[] { false, true, true }, bl.ToArray<bool>());
    }

    [Fact]
    public void Integer_tensors_add_and_subtract_as_in_PyTorch()
    {
        // alpha defaults to the integral 1: libtorch refuses a floating alpha for integer tensors.
        using var scope = NewDisposeScope();
        var a = tensor(new int[] { 5, 7, 9 });
        var b = tensor(new int[] { 1, 2, 3 });
        Assert.Equal(new[] { 4, 5, 6 }, (a - b).ToArray<int>());
        Assert.Equal(new[] { 6, 9, 12 }, (a + b).ToArray<int>());
        Assert.Equal(new[] { 3, 3, 3 }, a.sub(b, 2).ToArray<int>());
        Assert.Equal(new[] { 6, 9, 12 }, a.clone().add_(b).ToArray<int>());
        Assert.Equal(new float[] { 0.5f, 1, 1.5f }, tensor(new float[] { 1, 2, 3 }).sub(tensor(new float[] { 1, 2, 3 }), 0.5).ToArray<float>());
    }

    [Fact]
    public void Arithmetic_operators_and_in_place_variants()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 4, 5, 6 });
        Assert.Equal(new float[] { 5, 7, 9 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { -3, -3, -3 }, (a - b).ToArray<float>());
        Assert.Equal(new float[] { 4, 10, 18 }, (a * b).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6 }, (2 * a).ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 2 }, (a - 1).ToArray<float>());
        Assert.Equal(new float[] { 9, 8, 7 }, (10 - a).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 1.5f }, (a / 2).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 9 }, a.pow(2).ToArray<float>());
        Assert.Equal(new float[] { 2, 2, 3 }, a.clamp(2, 5).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 2.5f }, a.clamp(max: 2.5).ToArray<float>());
        Assert.Equal(new[] { false, true, true }, (a > 1.5).ToArray<bool>());
        var c = a.clone();
        c.add_(b).mul_(2);
        Assert.Equal(new float[] { 10, 14, 18 }, c.ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3 }, a.ToArray<float>());
        var m = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, m.matmul(m).ToArray<float>());
        Assert.Equal(3.0, Math.Round(a.exp().log().sum().item<float>() / 2, 5));
        using var i = arange(5);
        Assert.Equal(ScalarType.Int64, (i + 1).dtype);
        Assert.Equal(ScalarType.Float32, (i * 0.5).dtype);
    }

    [Fact]
    public void Reductions_with_dims()
    {
        using var scope = NewDisposeScope();
        var t = arange(6, float32).reshape(2, 3);
        Assert.Equal(15f, t.sum().item<float>());
        Assert.Equal(new float[] { 3, 5, 7 }, t.sum(0).ToArray<float>());
        Assert.Equal(new float[] { 1, 4 }, t.mean(1).ToArray<float>());
        Assert.Equal([2L, 1L], t.mean(1, keepdim: true).shape);
        Assert.Equal(5f, t.max().item<float>());
        var (values, indexes) = t.max(1);
        Assert.Equal(new float[] { 2, 5 }, values.ToArray<float>());
        Assert.Equal(new long[] { 2, 2 }, indexes.ToArray<long>());
        Assert.Equal(new float[] { 0, 3 }, t.amin(1).ToArray<float>());
        Assert.Equal(1.0, t.var([1]).ToArray<float>()[0], 6);
    }

    [Fact]
    public void Shape_operations_follow_pytorch()
    {
        using var scope = NewDisposeScope();
        var t = arange(24, float32).view(2, 3, 4);
        Assert.Equal([4L, 3L, 2L], t.permute(2, 1, 0).shape);
        Assert.Equal([2L, 4L, 3L], t.transpose(1, 2).shape);
        Assert.Equal([2L, 1L, 4L], t.narrow(1, 1, 1).shape);
        Assert.Equal(new float[] { 4, 5, 6, 7 }, t.select(0, 0).select(0, 1).ToArray<float>());
        Assert.Equal(new float[] { 1, 3 }, t[0][0].slice(0, 1, 4, 2).ToArray<float>());
        Assert.Equal([2L, 1L, 3L, 4L], t.unsqueeze(1).shape);
        Assert.Equal([2L, 3L, 4L], t.unsqueeze(1).squeeze(1).shape);
        Assert.Equal([4L, 3L, 4L], cat([t, t], 0).shape);
        Assert.Equal([2L, 2L, 3L, 4L], stack([t, t], 1).shape);
        Assert.Equal(new float[] { 3, 2, 1, 0 }, t[0][0].flip(0).ToArray<float>());
        Assert.Equal([2L, 3L, 4L], ones(1, 3, 1).expand(2, 3, 4).shape);
        Assert.False(t.transpose(1, 2).is_contiguous());
        Assert.True(t.transpose(1, 2).contiguous().is_contiguous());
        Assert.Equal([24L], t.flatten().shape);
    }

    [Fact]
    public void Shape_mismatch_throws_with_libtorchs_message()
    {
        using var a = zeros(3);
        using var b = zeros(4);
        var e = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0", e.Message);
        using var m = zeros(2, 3);
        var e2 = Assert.Throws<TorchException>(() => m.matmul(m));
        Assert.Contains("cannot be multiplied (2x3 and 2x3)", e2.Message);
        var e3 = Assert.Throws<TorchException>(() => m.view(5));
        Assert.Contains("shape '[5]' is invalid for input of size 6", e3.Message);
    }

    [Fact]
    public void Use_after_dispose_throws()
    {
        var t = ones(2);
        t.Dispose();
        t.Dispose(); // idempotent
        var e = Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Contains("disposed", e.Message);
        Assert.Equal("[disposed tensor]", t.ToString());
    }

    [Fact]
    public void Dispose_scope_frees_everything_but_what_moves_out()
    {
        var before = TestSupport.SettledLiveCount();
        Tensor kept, lost;
        using (NewDisposeScope())
        {
            var a = ones(3);
            lost = a * 2;
            kept = (a + lost).MoveToOuterDisposeScope();
            Assert.Equal(before + 3, LiveTensorCount);
        }
        Assert.True(lost.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Equal(new float[] { 3, 3, 3 }, kept.ToArray<float>());
        kept.Dispose();
        Assert.Equal(before, LiveTensorCount);
    }

    [Fact]
    public void Nested_scopes_move_one_level_at_a_time()
    {
        var before = TestSupport.SettledLiveCount();
        using (var outer = NewDisposeScope())
        {
            Tensor t;
            using (NewDisposeScope())
                t = ones(2).MoveToOuterDisposeScope();
            Assert.False(t.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.Equal(before, LiveTensorCount);
    }

    [Fact]
    public void Autograd_computes_gradients_and_no_grad_stops_recording()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = (x * x).sum();
        y.backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.grad!.ToArray<float>());
        using (no_grad())
        {
            var z = x * 2;
            Assert.False(z.requires_grad);
        }
        Assert.True(is_grad_enabled());
        var d = (x * 3).detach();
        Assert.False(d.requires_grad);
        x.grad = null;
        Assert.Null(x.grad);
    }

    [Fact]
    public void Manual_seed_repeats_exactly()
    {
        manual_seed(7);
        using var a = randn(100);
        using var b = rand(10);
        manual_seed(7);
        using var c = randn(100);
        using var d = rand(10);
        Assert.Equal(a.ToArray<float>(), c.ToArray<float>());
        Assert.Equal(b.ToArray<float>(), d.ToArray<float>());
    }

    [Fact]
    public void Threads_default_to_the_cores_and_can_be_set()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            Assert.Equal(Environment.ProcessorCount, get_num_threads());
        var was = get_num_threads();
        set_num_threads(1);
        Assert.Equal(1, get_num_threads());
        set_num_threads(was);
    }

    [Fact]
    public void Devices_parse_like_pytorch_and_cuda_reports_availability()
    {
        Assert.Equal(new Device(DeviceType.CUDA, 1), Device.Parse("cuda:1"));
        Assert.Equal("cpu", CPU.ToString());
        Assert.Throws<ArgumentException>(() => Device.Parse("tpu"));
        using var t = ones(2);
        Assert.Equal(DeviceType.CPU, t.device.type);
        if (!cuda.is_available())
        {
            var e = Assert.ThrowsAny<Exception>(() => t.cuda());
            Assert.False(string.IsNullOrEmpty(e.Message));
        }
        else
        {
            using var g = t.cuda();
            Assert.True(g.is_cuda);
            Assert.Equal(new float[] { 1, 1 }, g.ToArray<float>());
        }
    }
}
