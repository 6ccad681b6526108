namespace WorkbookKernel;

/// <summary>Positions in Unicode code points (the protocol's unit) and in UTF-16 units (.NET's).</summary>
internal static class CodePoints
{
    public static int ToUtf16(string text, int codePoints)
    {
        var index = 0;
        for (var n = 0; n < codePoints && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length ? 2 : 1;
        return index;
    }

    public static int FromUtf16(string text, int index)
    {
        var n = 0;
        for (var i = 0; i < index && i < text.Length; i++, n++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length) i++;
        return n;
    }
}
