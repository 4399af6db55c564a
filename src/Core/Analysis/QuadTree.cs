namespace Harness.Core.Analysis;

/// <summary>
/// A point-region quadtree over 2-D points with each cell's point count and centre of mass, for the Barnes–Hut
/// approximation of t-SNE's repulsive forces. Nodes live in flat arrays (no per-node objects).
/// </summary>
internal sealed class QuadTree
{
    private double[] _cx = new double[1024], _cy = new double[1024], _hw = new double[1024], _sx = new double[1024], _sy = new double[1024];
    private int[] _count = new int[1024], _child = new int[1024], _point = new int[1024];
    private int _nodes;
    private readonly double[] _y;

    public QuadTree(double[] y, int n)
    {
        _y = y;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        double hw = Math.Max(Math.Max(maxX - minX, maxY - minY) / 2, 1e-12) * (1 + 1e-6);
        NewNode((minX + maxX) / 2, (minY + maxY) / 2, hw);
        for (int i = 0; i < n; i++) Insert(0, i);
    }

    private int NewNode(double cx, double cy, double hw)
    {
        if (_nodes == _cx.Length)
        {
            int size = _nodes * 2;
            Array.Resize(ref _cx, size); Array.Resize(ref _cy, size); Array.Resize(ref _hw, size);
            Array.Resize(ref _sx, size); Array.Resize(ref _sy, size);
            Array.Resize(ref _count, size); Array.Resize(ref _child, size); Array.Resize(ref _point, size);
        }
        int id = _nodes++;
        _cx[id] = cx; _cy[id] = cy; _hw[id] = hw; _sx[id] = 0; _sy[id] = 0; _count[id] = 0; _child[id] = -1; _point[id] = -1;
        return id;
    }

    private int Quadrant(int node, double x, double y) => (x >= _cx[node] ? 1 : 0) + (y >= _cy[node] ? 2 : 0);

    private void Insert(int node, int i)
    {
        double x = _y[2 * i], y = _y[2 * i + 1];
        while (true)
        {
            _sx[node] += x; _sy[node] += y; _count[node]++;
            if (_child[node] < 0)
            {
                if (_count[node] == 1) { _point[node] = i; return; }
                // Coincident points (a cell too small to split) stay together in one leaf.
                if (_hw[node] < 1e-10) return;
                int existing = _point[node];
                _point[node] = -1;
                double h = _hw[node] / 2;
                int first = NewNode(_cx[node] - h, _cy[node] - h, h);
                NewNode(_cx[node] + h, _cy[node] - h, h);
                NewNode(_cx[node] - h, _cy[node] + h, h);
                NewNode(_cx[node] + h, _cy[node] + h, h);
                _child[node] = first;
                int q = first + Quadrant(node, _y[2 * existing], _y[2 * existing + 1]);
                _sx[q] += _y[2 * existing]; _sy[q] += _y[2 * existing + 1]; _count[q] = 1; _point[q] = existing;
            }
            node = _child[node] + Quadrant(node, x, y);
        }
    }

    /// <summary>
    /// Σⱼ wᵢⱼ and Σⱼ wᵢⱼ² (yᵢ − yⱼ) over all other points, w = 1/(1 + d²), with cells whose width/distance is below θ
    /// taken as one point at their centre of mass.
    /// </summary>
    public (double Z, double Fx, double Fy) Repulsion(int i, double x, double y, double theta, int[] stack)
    {
        double z = 0, fx = 0, fy = 0;
        int top = 0;
        stack[top++] = 0;
        double theta2 = theta * theta;
        while (top > 0)
        {
            int node = stack[--top];
            int count = _count[node];
            if (count == 0) continue;
            bool leaf = _child[node] < 0;
            if (leaf && _point[node] == i)
            {
                count--; // the point itself (coincident duplicates, if any, still count)
                if (count == 0) continue;
            }
            double mx = _sx[node] / _count[node], my = _sy[node] / _count[node];
            double dx = x - mx, dy = y - my, d2 = dx * dx + dy * dy;
            double width = 2 * _hw[node];
            if (leaf || width * width < theta2 * d2)
            {
                double w = 1 / (1 + d2);
                z += count * w;
                fx += count * w * w * dx; fy += count * w * w * dy;
            }
            else
            {
                if (top + 4 > stack.Length) Array.Resize(ref stack, stack.Length * 2);
                int c = _child[node];
                stack[top++] = c; stack[top++] = c + 1; stack[top++] = c + 2; stack[top++] = c + 3;
            }
        }
        return (z, fx, fy);
    }
}
