using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Preallocated keys and values of every layer, (B, Hkv, Capacity, HeadDim) each, in the given dtype on
/// its device; <see cref="Length"/>
/// positions are filled. Writing into a fixed buffer instead of concatenating keeps decoding free of
/// per-step reallocation. Owns its tensors.</summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] _keys, _values;

    public KvCache(int layers, long batch, int heads, int capacity, int headDim, ScalarType dtype, Device device)
    {
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int i = 0; i < layers; i++)
        {
            _keys[i] = zeros(batch, heads, capacity, headDim, dtype, device).DetachFromDisposeScope();
            _values[i] = zeros(batch, heads, capacity, headDim, dtype, device).DetachFromDisposeScope();
        }
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Number of positions already written (the same for all rows; padding is masked, not skipped).</summary>
    public int Length { get; private set; }

    public long Batch => _keys[0].shape[0];

    /// <summary>Writes the new positions' keys and values of one layer at [Length, Length + T) and returns views of
    /// everything written so far. Call <see cref="Advance"/> once all layers have written.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        long t = keys.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache capacity {Capacity} exceeded");
        _keys[layer].narrow(2, Length, t).copy_(keys);
        _values[layer].narrow(2, Length, t).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    public void Advance(int positions) => Length += positions;

    /// <summary>Keeps only the given rows (in this order) — used to repeat a prompt's prefix for each sample of
    /// its group, and to drop finished rows.</summary>
    public void SelectRows(Tensor rows)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            Replace(ref _keys[i], _keys[i].index_select(0, rows));
            Replace(ref _values[i], _values[i].index_select(0, rows));
        }
    }

    static void Replace(ref Tensor slot, Tensor next)
    {
        var old = slot;
        slot = next.DetachFromDisposeScope();
        old.Dispose();
    }

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
