namespace Workbook;

/// <summary>The process exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Nothing was processed: every input failed or already had its output.</summary>
    public const int NothingProcessed = 1;

    /// <summary>A wrong argument, input or checkpoint (the message names the fix).</summary>
    public const int BadUsage = 2;
}
