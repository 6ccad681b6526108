namespace Workbook;

/// <summary>The process exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Nothing was processed: every input failed or already had its output.</summary>
    public const int NothingProcessed = 1;

    /// <summary>A wrong argument, input or checkpoint (the message names the fix).</summary>
    public const int BadUsage = 2;

    /// <summary>An output could not be written (a full disk): the message names the folder and the space needed; what was written before stays.</summary>
    public const int OutputFailed = 3;
}
