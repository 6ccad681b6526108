namespace Lib.Losses;

/// <summary>How a perceptual loss compares two feature maps (mean over elements).</summary>
public enum FeatureDistance
{
    /// <summary>Mean squared error: SRGAN's VGG loss (Ledig et al. 2017).</summary>
    MSE,
    /// <summary>Mean absolute error: the content loss the ECCV16 regression source uses.</summary>
    L1,
}
