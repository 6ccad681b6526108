using System.Security.Cryptography;
using System.Text;

namespace WorkbookKernel;

/// <summary>
/// HMAC-SHA256 over a message's header, parent header, metadata and content frames, hex-encoded, as
/// the Jupyter wire protocol specifies. Incoming messages are checked in constant time, and a signature
/// seen before is refused (a replayed message), as ipykernel does.
/// </summary>
internal sealed class MessageSigner
{
    private const int RememberedSignatures = 65536;
    private readonly byte[] _key;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly object _lock = new();

    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>An empty key turns signing off (the protocol allows it); then every message is accepted.</summary>
    public bool Enabled => _key.Length > 0;

    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
            return "";
        using var hmac = new HMACSHA256(_key);
        foreach (var part in parts)
            hmac.TransformBlock(part, 0, part.Length, null, 0);
        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>Why the message must be dropped, or null when its signature is valid and new.</summary>
    public string? Check(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
            return null;
        if (signature.Length == 0)
            return "unsigned message";
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return "bad signature";
        lock (_lock)
        {
            if (!_seen.Add(signature))
                return "replayed message (its signature was seen before)";
            _seenOrder.Enqueue(signature);
            if (_seenOrder.Count > RememberedSignatures)
                _seen.Remove(_seenOrder.Dequeue());
        }
        return null;
    }
}
