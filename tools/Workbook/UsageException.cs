namespace Workbook;

/// <summary>A wrong argument, or a missing input or checkpoint: the message says what to change. Exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
