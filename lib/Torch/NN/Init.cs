namespace Lib.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public enum FanInOut { FanIn, FanOut }

        public enum NonlinearityType { Linear, Conv2d, Sigmoid, Tanh, ReLU, LeakyReLU }

        /// <summary>Weight initialization in place, as torch.nn.init (no autograd is recorded).</summary>
        public static class init
        {
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                using (no_grad()) return tensor.uniform_(a, b);
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                using (no_grad()) return tensor.normal_(mean, std);
            }

            public static Tensor constant_(Tensor tensor, Scalar value)
            {
                using (no_grad()) return tensor.fill_(value);
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>The recommended gain for a nonlinearity (torch.nn.init.calculate_gain).</summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double param = 0.01) => nonlinearity switch
            {
                NonlinearityType.Linear or NonlinearityType.Conv2d or NonlinearityType.Sigmoid => 1,
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + param * param)),
                _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity)),
            };

            /// <summary>fan_in = size(1)·receptive field, fan_out = size(0)·receptive field, as PyTorch defines them.</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var s = tensor.shape;
                if (s.Length < 2)
                    throw new ArgumentException($"Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape [{string.Join(", ", s)}])");
                long receptive = 1;
                for (var i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }

            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var std = KaimingStd(tensor, a, mode, nonlinearity);
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU) =>
                normal_(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity));

            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor xavier_normal_(Tensor tensor, double gain = 1)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            private static double KaimingStd(Tensor tensor, double a, FanInOut mode, NonlinearityType nonlinearity)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var fan = mode == FanInOut.FanIn ? fanIn : fanOut;
                return calculate_gain(nonlinearity, a) / Math.Sqrt(fan);
            }

            /// <summary>PyTorch's reset_parameters for conv and linear layers: kaiming-uniform(a=√5), bias U(±1/√fan_in).</summary>
            internal static void ResetConvLinear(Tensor weight, Tensor? bias, long fanIn)
            {
                kaiming_uniform_(weight, a: Math.Sqrt(5));
                if (bias is null) return;
                var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                uniform_(bias, -bound, bound);
            }
        }
    }
}
