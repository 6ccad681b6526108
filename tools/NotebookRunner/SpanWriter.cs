namespace NotebookRunner;

/// <summary>A TextWriter whose every Write overload arrives at one method, <see cref="Write(ReadOnlySpan{char})"/>: what the runner's writers intercept.</summary>
internal abstract class SpanWriter : TextWriter
{
    public override void Write(char value) => Write([value]);

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public abstract override void Write(ReadOnlySpan<char> buffer);
}
