namespace Lib.Evaluation;

/// <summary>Which scores an evaluation computes; a table shows the columns of the groups its rows have.</summary>
[Flags]
public enum MetricSet
{
    /// <summary>PSNR and SSIM on RGB.</summary>
    Fidelity = 1,

    /// <summary>PSNR and SSIM on BT.601 Y (0–255), the SR community's protocol.</summary>
    Luma = 2,

    /// <summary>ab accuracy (AUC over 0–150 and ≤ 10) and colorfulness with its gap to the truth's.</summary>
    Color = 4,

    /// <summary>What colorization papers report.</summary>
    Colorization = Fidelity | Color,

    /// <summary>What SR papers report.</summary>
    SuperResolution = Luma | Fidelity,

    All = Fidelity | Luma | Color,
}
