"""Certificates: the sentinel fast path against docxtpl per certificate, same run, same data.

    .venv/bin/python bench/bench_certificates.py [N]      (default 2000)

Both write N single-certificate .docx files into a temporary folder; the fast
path also writes the combined print file (timed separately). Prints both
times and the ratio.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from formgen.campaign.presets import preset_campaign
from formgen.publish import certificates
from formgen.publish.model import Winner

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲飞鹏辉建国志宏晓东海波宁"
UNITS = ["市公安局", "市国土资源局", "安阳街道", "塘下镇", "市地税局", "市人力社保局", "玉海街道", "市住建局", "飞云江街道",
         "市市场监管局", "R&D中心<试点>", "“阳光”服务站"]


def winners(n: int) -> list[Winner]:
    rnd = random.Random(2014)
    out = []
    for i in range(n):
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        if i % 97 == 0:
            name = "=" + name + "&<“甲”>"
        out.append(Winner("person", i + 1, name, rnd.choice(UNITS), 90.0))
    return out


def main(n: int = 2000) -> None:
    campaign = preset_campaign("ruian-2014")
    award = campaign.award("person")
    date = dt.date(2014, 11, 24)
    people = winners(n)
    with tempfile.TemporaryDirectory() as tmp:
        fast_dir, naive_dir = Path(tmp, "fast"), Path(tmp, "naive")
        naive_dir.mkdir()

        t0 = time.perf_counter()
        written = certificates.write(campaign, award, people, date, fast_dir)
        fast = time.perf_counter() - t0
        combined = written[0].stat().st_size

        t0 = time.perf_counter()
        template = certificates.docxtpl_template(campaign, award, date)
        for i, cert in enumerate(certificates.certificates_for(people)):
            certificates.render_with_docxtpl(template, campaign, award, cert, naive_dir / f"{i}.docx")
        naive = time.perf_counter() - t0

    print(f"证书数量：{n}")
    print(f"快速路径（模板一次生成 + XML 替换，{n} 个单独文件 + 1 个合并打印文件）：{fast:.2f} 秒"
          f"（合并文件 {combined / 1024:.0f} KB）")
    print(f"常规路径（docxtpl 每张证书加载、渲染、保存，{n} 个单独文件）：{naive:.2f} 秒")
    print(f"倍数：{naive / fast:.1f}×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
