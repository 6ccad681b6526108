namespace Lib.Training;

/// <summary>How the photo verbs run a model on photos of any size.</summary>
/// <param name="RenderSize">The square a colorizer colors at (null: the scale it trained at).</param>
/// <param name="Tile">Input tile side for networks run in tiles (rounded up to a side the network takes).</param>
/// <param name="Overlap">Input pixels neighbouring tiles share (blended).</param>
public sealed record PhotoSettings(int? RenderSize = null, int Tile = 256, int Overlap = 16);
