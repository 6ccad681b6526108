using Lib.Torch;
using static Lib.Torch.torch;
using F = Lib.Torch.torch.nn.functional;

namespace Lib.Tests;

public class LeakTests
{
    /// <summary>
    /// 200 GAN-style steps (a D step and a G step, two optimizers, batch norm, detach) inside dispose
    /// scopes: afterwards exactly the tensors that existed before are alive, so a loop written this
    /// way needs no GC.Collect.
    /// </summary>
    [Fact]
    public void Two_hundred_training_steps_in_scopes_leave_the_live_count_unchanged()
    {
        manual_seed(0);
        using var g = nn.Sequential(nn.Conv2d(1, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 2, 3, padding: 1), nn.Tanh());
        using var d = nn.Sequential(nn.Conv2d(3, 8, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 1, 4, stride: 2, padding: 1));
        using var optG = optim.Adam(g.parameters(), 2e-4, 0.5);
        using var optD = optim.Adam(d.parameters(), 2e-4, 0.5);
        var bce = nn.BCEWithLogitsLoss();

        void Step()
        {
            using var scope = NewDisposeScope();
            var l = rand(4, 1, 16, 16);
            var ab = rand(4, 2, 16, 16) * 2 - 1;
            var fake = g.call(l);
            optD.zero_grad();
            var realLogits = d.call(cat([l, ab], 1));
            var fakeLogits = d.call(cat([l, fake.detach()], 1));
            var lossD = (bce.call(realLogits, ones_like(realLogits)) + bce.call(fakeLogits, zeros_like(fakeLogits))) * 0.5;
            lossD.backward();
            optD.step();
            optG.zero_grad();
            var predicted = d.call(cat([l, fake], 1));
            var lossG = bce.call(predicted, ones_like(predicted)) + F.l1_loss(fake, ab) * 100;
            lossG.backward();
            optG.step();
            _ = lossG.item<float>();
        }

        Step(); // the first step creates the optimizers' state, which lives as long as they do
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = TestSupport.SettledLiveCount();
        for (var i = 0; i < 200; i++) Step();
        Assert.Equal(before, LiveTensorCount);
    }

    [Fact]
    public void Disposing_a_module_and_optimizer_frees_their_tensors()
    {
        var before = TestSupport.SettledLiveCount();
        var m = nn.Linear(4, 3);
        var opt = optim.Adam(m.parameters());
        using (NewDisposeScope())
        {
            m.call(ones(2, 4)).sum().backward();
            opt.step();
        }
        Assert.True(LiveTensorCount > before);
        opt.Dispose();
        m.Dispose();
        Assert.Equal(before, LiveTensorCount);
    }
}
