"""msopt's flat MLP parameters [W_0, b_0, W_1, b_1, ...] (W_l row-major widths[l+1] x widths[l]) as the
per-layer torch tensors of the PyTorch references (bench/torch_mlp_gradient.py, bench/torch_mgdl_grade.py),
the ReLU network they make, and its gradient's flop count."""
import torch


def split_layers(flat, widths):
    out, off = [], 0
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        out.append(torch.from_numpy(flat[off:off + n_out * n_in].reshape(n_out, n_in).copy()))
        off += n_out * n_in
        out.append(torch.from_numpy(flat[off:off + n_out].copy()))
        off += n_out
    assert off == flat.size, f"{flat.size} parameters, widths {widths} need {off}"
    return out


def relu_mlp(x, layers):
    """The network's output on the rows of x: linear layers from split_layers, ReLU between them."""
    n = len(layers) // 2
    for l in range(n):
        x = torch.nn.functional.linear(x, layers[2 * l], layers[2 * l + 1])
        if l + 1 < n:
            x = torch.relu(x)
    return x


def gradient_flops(widths, n):
    """Flops of one gradient on n rows, counted as msopt's Mlp::local_gradient_flops (the first layer needs no
    input gradient), so both sides' fractions of the DGEMM rate use the same numerator."""
    flops = sum((4.0 if l == 0 else 6.0) * a * b for l, (a, b) in enumerate(zip(widths[:-1], widths[1:])))
    return (flops + 10.0 * sum(widths[1:])) * n
