namespace Workbook;

/// <summary>An output the command was asked to write could not be written (a full disk, a folder that became unwritable): exit 3.</summary>
public sealed class OutputFailedException(string message, Exception inner) : Exception(message, inner);
