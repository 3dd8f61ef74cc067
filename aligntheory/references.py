"""One references table (paper keys -> BibTeX), used by docstrings, claims and ``aligntheory cite``.

Pillars add their papers here. A :class:`~aligntheory.proofs_check.Source` names a key of this
table, or an arXiv id that one of its entries carries.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reference", "REFERENCES", "reference", "find_by_arxiv", "bibtex"]


@dataclass(frozen=True)
class Reference:
    """A bibliographic entry.

    Examples
    --------
    >>> ref = REFERENCES["qiu2024reward"]
    >>> ref.arxiv
    '2402.10184'
    """

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    arxiv: str | None = None

    def bibtex(self) -> str:
        """The entry as BibTeX text."""
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in self.fields)
        return f"@{self.entry_type}{{{self.key},\n{body}\n}}"


def _ref(key: str, entry_type: str, arxiv: str | None = None, **fields: str) -> Reference:
    if arxiv:
        fields.setdefault("eprint", arxiv)
        fields.setdefault("archivePrefix", "arXiv")
    return Reference(key, entry_type, tuple(fields.items()), arxiv)


REFERENCES: dict[str, Reference] = {
    r.key: r
    for r in [
        _ref(
            "qiu2024reward",
            "inproceedings",
            arxiv="2402.10184",
            title="Reward Generalization in {RLHF}: A Topological Perspective",
            author="Qiu, Tianyi and Zeng, Fanzhi and Ji, Jiaming and Yan, Dong and Wang, Kaile and Zhou, Jiayi"
            " and Han, Yang and Dai, Josef and Pan, Xuehai and Yang, Yaodong",
            booktitle="Findings of the Association for Computational Linguistics: ACL 2025",
            pages="15884--15930",
            year="2025",
            doi="10.18653/v1/2025.findings-acl.820",
        ),
        _ref(
            "hendrickx2019graph",
            "inproceedings",
            title="Graph Resistance and Learning from Pairwise Comparisons",
            author="Hendrickx, Julien M. and Olshevsky, Alex and Saligrama, Venkatesh",
            booktitle="Proceedings of the 36th International Conference on Machine Learning",
            series="PMLR",
            volume="97",
            pages="2702--2711",
            year="2019",
        ),
        _ref(
            "klein1993resistance",
            "article",
            title="Resistance distance",
            author="Klein, Douglas J. and Randi{\\'c}, Milan",
            journal="Journal of Mathematical Chemistry",
            volume="12",
            pages="81--95",
            year="1993",
        ),
        _ref(
            "foster1949average",
            "incollection",
            title="The average impedance of an electrical network",
            author="Foster, Ronald M.",
            booktitle="Contributions to Applied Mechanics (Reissner Anniversary Volume)",
            pages="333--340",
            year="1949",
        ),
        _ref(
            "spielman2008sparsification",
            "misc",
            arxiv="0803.0929",
            title="Graph Sparsification by Effective Resistances",
            author="Spielman, Daniel A. and Srivastava, Nikhil",
            year="2008",
        ),
        _ref(
            "vonluxburg2014hitting",
            "article",
            title="Hitting and Commute Times in Large Random Neighborhood Graphs",
            author="von Luxburg, Ulrike and Radl, Agnes and Hein, Matthias",
            journal="Journal of Machine Learning Research",
            volume="15",
            pages="1751--1798",
            year="2014",
        ),
        _ref(
            "fronczak2004average",
            "article",
            title="Average path length in random networks",
            author="Fronczak, Agata and Fronczak, Piotr and Ho{\\l}yst, Janusz A.",
            journal="Physical Review E",
            volume="70",
            pages="056110",
            year="2004",
        ),
        _ref(
            "newman2023efficient",
            "article",
            title="Efficient Computation of Rankings from Pairwise Comparisons",
            author="Newman, M. E. J.",
            journal="Journal of Machine Learning Research",
            volume="24",
            number="238",
            pages="1--25",
            year="2023",
        ),
        _ref(
            "ford1957solution",
            "article",
            title="Solution of a Ranking Problem from Binary Comparisons",
            author="Ford, Jr., L. R.",
            journal="The American Mathematical Monthly",
            volume="64",
            number="8",
            pages="28--33",
            year="1957",
        ),
        _ref(
            "qiu2024representative",
            "misc",
            arxiv="2410.23953",
            title="Representative Social Choice: From Learning Theory to {AI} Alignment",
            author="Qiu, Tianyi",
            year="2024",
        ),
        _ref(
            "ji2024language",
            "misc",
            arxiv="2406.06144",
            title="Language Models Resist Alignment: Evidence From Data Compression",
            author="Ji, Jiaming and Wang, Kaile and Qiu, Tianyi and Chen, Boyuan and Zhou, Jiayi and Li, Changye"
            " and Lou, Hantao and Dai, Josef and Liu, Yunhuai and Yang, Yaodong",
            year="2024",
        ),
        _ref(
            "qiu2024progressgym",
            "misc",
            arxiv="2406.20087",
            title="{ProgressGym}: Alignment with a Millennium of Moral Progress",
            author="Qiu, Tianyi and Zhang, Yang and Huang, Xuchuan and Li, Jasmine Xinze and Ji, Jiaming and Yang, Yaodong",
            year="2024",
        ),
        _ref(
            "dai2023safe",
            "misc",
            arxiv="2310.12773",
            title="Safe {RLHF}: Safe Reinforcement Learning from Human Feedback",
            author="Dai, Josef and Pan, Xuehai and Sun, Ruiyang and Ji, Jiaming and Xu, Xinbo and Liu, Mickel"
            " and Wang, Yizhou and Yang, Yaodong",
            year="2023",
        ),
        _ref(
            "ji2023ai",
            "misc",
            arxiv="2310.19852",
            title="{AI} Alignment: A Comprehensive Survey",
            author="Ji, Jiaming and Qiu, Tianyi and Chen, Boyuan and others",
            year="2023",
        ),
        _ref("arrow1951social", "book", title="Social Choice and Individual Values", author="Arrow, Kenneth J.",
             publisher="Wiley", year="1951"),
        _ref("wilson1972social", "article", title="Social choice theory without the {P}areto principle",
             author="Wilson, Robert", journal="Journal of Economic Theory", volume="5", number="3",
             pages="478--486", year="1972"),
        _ref("tang2009computer", "article", title="Computer-aided proofs of {A}rrow's and other impossibility theorems",
             author="Tang, Pingzhong and Lin, Fangzhen", journal="Artificial Intelligence", volume="173",
             number="11", pages="1041--1053", year="2009"),
        _ref("geist2011automated", "article",
             title="Automated search for impossibility theorems in social choice theory: ranking sets of objects",
             author="Geist, Christian and Endriss, Ulle", journal="Journal of Artificial Intelligence Research",
             volume="40", pages="143--174", year="2011"),
        _ref("procaccia2009learnability", "article", title="The learnability of voting rules",
             author="Procaccia, Ariel D. and Zohar, Aviv and Peleg, Yoni and Rosenschein, Jeffrey S.",
             journal="Artificial Intelligence", volume="173", number="12--13", pages="1133--1149", year="2009"),
        _ref("shalevshwartz2014understanding", "book",
             title="Understanding Machine Learning: From Theory to Algorithms",
             author="Shalev-Shwartz, Shai and Ben-David, Shai", publisher="Cambridge University Press", year="2014"),
        _ref("mohri2018foundations", "book", title="Foundations of Machine Learning",
             author="Mohri, Mehryar and Rostamizadeh, Afshin and Talwalkar, Ameet", publisher="MIT Press",
             edition="2", year="2018"),
        _ref("cover2006elements", "book", title="Elements of Information Theory",
             author="Cover, Thomas M. and Thomas, Joy A.", publisher="Wiley", edition="2", year="2006"),
        _ref("huffman1952method", "article", title="A Method for the Construction of Minimum-Redundancy Codes",
             author="Huffman, David A.", journal="Proceedings of the IRE", volume="40", number="9",
             pages="1098--1101", year="1952"),
        _ref("boyd2004convex", "book", title="Convex Optimization", author="Boyd, Stephen and Vandenberghe, Lieven",
             publisher="Cambridge University Press", year="2004"),
        _ref("ji2024pku", "misc", arxiv="2406.15513",
             title="{PKU-SafeRLHF}: Towards Multi-Level Safety Alignment for {LLMs} with Human Preference",
             author="Ji, Jiaming and others", year="2024"),
        _ref("davidson1970extending", "article",
             title="On Extending the {B}radley--{T}erry Model to Accommodate Ties in Paired Comparison Experiments",
             author="Davidson, Roger R.", journal="Journal of the American Statistical Association",
             volume="65", number="329", pages="317--328", year="1970"),
        _ref("rao1967ties", "article",
             title="Ties in Paired-Comparison Experiments: A Generalization of the {B}radley--{T}erry Model",
             author="Rao, P. V. and Kupper, L. L.", journal="Journal of the American Statistical Association",
             volume="62", number="317", pages="194--204", year="1967"),
        _ref("chiang2024chatbot", "inproceedings", arxiv="2403.04132",
             title="Chatbot Arena: An Open Platform for Evaluating {LLMs} by Human Preference",
             author="Chiang, Wei-Lin and Zheng, Lianmin and Sheng, Ying and others",
             booktitle="Proceedings of the 41st International Conference on Machine Learning", year="2024"),
        _ref("stooke2020responsive", "inproceedings", arxiv="2007.03964",
             title="Responsive Safety in Reinforcement Learning by {PID} {L}agrangian Methods",
             author="Stooke, Adam and Achiam, Joshua and Abbeel, Pieter",
             booktitle="Proceedings of the 37th International Conference on Machine Learning", year="2020"),
        _ref("efron1979bootstrap", "article", title="Bootstrap Methods: Another Look at the Jackknife",
             author="Efron, Bradley", journal="The Annals of Statistics", volume="7", number="1",
             pages="1--26", year="1979"),
        _ref("wetzler2014drat", "inproceedings",
             title="{DRAT-trim}: Efficient Checking and Trimming Using Expressive Clausal Proofs",
             author="Wetzler, Nathan and Heule, Marijn J. H. and Hunt, Jr., Warren A.",
             booktitle="Theory and Applications of Satisfiability Testing -- SAT 2014",
             series="LNCS", volume="8561", pages="422--429", year="2014"),
        _ref("goldberg2003verification", "inproceedings",
             title="Verification of Proofs of Unsatisfiability for {CNF} Formulas",
             author="Goldberg, Evguenii and Novikov, Yakov",
             booktitle="Design, Automation and Test in Europe (DATE)", pages="886--891", year="2003"),
        # -- pillars append new entries above this line (one _ref(...) per entry) --
    ]
}


def reference(key: str) -> Reference:
    """Look up a reference by key.

    Raises
    ------
    KeyError
        If the key is not in :data:`REFERENCES`.

    Examples
    --------
    >>> reference("foster1949average").entry_type
    'incollection'
    """
    return REFERENCES[key]


def find_by_arxiv(arxiv: str) -> Reference | None:
    """The entry carrying arXiv id ``arxiv``, or None.

    Examples
    --------
    >>> find_by_arxiv("2402.10184").key
    'qiu2024reward'
    """
    for ref in REFERENCES.values():
        if ref.arxiv == arxiv:
            return ref
    return None


def bibtex(key: str) -> str:
    """BibTeX text of the entry ``key``.

    Examples
    --------
    >>> bibtex("ford1957solution").splitlines()[0]
    '@article{ford1957solution,'
    """
    return reference(key).bibtex()
