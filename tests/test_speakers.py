"""Who says a sentence, and whose words a question asks for."""

from __future__ import annotations

import pytest

from qa.text.speakers import asked_speaker, same_speaker, speaker_of, speakers, surname


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Zarnovian Foreign Minister Ilse Varga said on Friday that talks would resume.", "Varga"),
        ("Talks will resume, Varga said.", "Varga"),
        ("Talks will resume, said Ilse Varga.", "Ilse Varga"),
        ("According to Tomas Brenn, the dam is safe.", "Tomas Brenn"),
        ("Brenn told reporters the dam was safe.", "Brenn"),
        ("The dam, Brenn added, is safe.", "Brenn"),
        ("The army advanced on Tuesday.", None),
        # titles abbreviated with a full stop, as American papers write them
        ("\"We will win,\" said Dr. Brenn, the hospital's director.", "Brenn"),
        ("According to Sen. Ilse Varga, the bill will fail.", "Varga"),
        ("The dam is safe, Mr. Brenn said on Tuesday.", "Brenn"),
        ("\"It is over,\" Gov. Tomas K. Brenn said.", "Brenn"),
        ("According to Tomas K. Brenn, the dam is safe.", "Brenn"),  # a middle initial
        ("Likewise, the dam is safe, Brenn said.", "Brenn"),  # a sentence adverb is nobody
        ("Similarly, the ministry, in a statement, said the dam was safe.", None),
    ],
)
def test_speaker_of_a_sentence(sentence, who):
    got = speaker_of(sentence)
    assert (got is None) if who is None else same_speaker(got, who)


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        # the name set off after a role's object speaks, not the object
        ("Talks will resume soon, the country's ambassador to the United Nations, Ilse Varga, told reporters on Sunday.", "Ilse Varga"),
        ("The head of the Keldland Dam Authority, Tomas Brenn, said the dam was safe.", "Tomas Brenn"),
        ("Tomas Brenn, Keldland's Energy Minister, said the dam was safe.", "Tomas Brenn"),  # the name comes first
        ("Brenn, a former engineer, said the dam was safe.", "Brenn"),
        # "described" states a view; "X, described as" is said of X
        ("Varga described the dam as \"a threat to the whole valley.\"", "Varga"),
        ("Varga, through her lawyers, has described the reports as baseless.", "Varga"),
        ("The police arrested Tomas Brenn, described as the ringleader, on Monday.", None),
        # a date between the name and the verb; a date is never the speaker, a person called May is
        ("Prime Minister Ilse Varga on Tuesday said talks would resume.", "Varga"),
        ("A report released in December described the dam as unsafe.", None),
        ("A statement issued late on Wednesday said the dam was safe.", None),
        ("Mrs May said the dam was safe.", "May"),
    ],
)
def test_appositions_descriptions_and_dates(sentence, who):
    got = speaker_of(sentence)
    assert (got is None) if who is None else same_speaker(got, who), got


def test_quotations_and_pronouns_take_the_last_named_speaker():
    said = speakers([
        "Foreign Minister Ilse Varga said the dam must stop.",
        "“We will never accept it,” she added.",
        "“This is our river.”",
        "Keldland's minister Tomas Brenn said the dam was safe.",
        "The river rose by a metre.",
    ])
    assert [surname(s) if s else None for s in said] == ["varga", "varga", "varga", "brenn", None]


@pytest.mark.parametrize(
    ("sentence", "who"),
    [  # whom someone speaks for does not speak; a clause that closes the sentence says who does
        ("A spokesman for Mrs Varga said the charge was ridiculous.", None),
        ("Lawyers for Brenn told the court he was innocent.", None),
        ("An adviser to President Varga says the dam served Keldland alone.", None),
        ("A state visit, which Prime Minister Ilse Varga announced in January, was expected in spring, Keldland officials said privately.", None),
        ("Keldland officials said on Monday that the talks would resume.", None),
        ("Deputy Spokesman for the Secretary-General, Ilse Varga, told reporters the envoy would stay.", "Ilse Varga"),
        ("Talks are useful, Keldland's Permanent Representative to the UN Tomas Brenn said.", "brenn"),
    ],
)
def test_whom_someone_speaks_for_is_not_who_speaks(sentence, who):
    said = speaker_of(sentence, "Ilse Varga")
    assert (said if who and " " in who else surname(said) if said else None) == who


@pytest.mark.parametrize("sentence", ['"It is risky in the long term,"?said Ilse Varga, a researcher.',
                                      '"We grow maize and millet,"?said Varga.', '"We will stay,"?Varga said.'])
def test_a_damaged_closing_mark_still_ends_the_quotation(sentence):  # some feeds write ” as '"?'
    assert surname(speaker_of(sentence)) == "varga"


@pytest.mark.parametrize(
    ("sentence", "who"),
    [  # a name inside a quotation is what is said, not who says it
        ('"Varga said that the three countries should share the cost," he said.', "brenn"),  # the one named before
        ('"Varga asked us for an invitation and we decided to grant it."', "brenn"),
        ('"We will stay," Varga said, "and we will fight."', "varga"),
        ('Varga said: "Brenn told us nothing."', "varga"),
    ],
)
def test_a_name_inside_a_quotation_is_not_who_speaks(sentence, who):
    assert surname(speaker_of(sentence, "Tomas Brenn")) == who


def test_someone_the_article_does_not_name_is_not_the_last_named_speaker():
    said = speakers([
        "Chancellor Ilse Varga said the talks went well.",
        '"It is a strong alliance," she said.',
        '"?  A Keldland official told reporters that the premier "wants to talk"?about fishing.',  # a damaged mark first
        '"He wants to hear her view on the harbour."',
        '"He is very interested in the dam,"?the official said.',  # a damaged closing mark, as some feeds write it
        '"It will pass," said a senior diplomat.',
        '"Some people say it is over," Varga said.',  # the words inside a quotation are not who says it
        "Two people familiar with the talks said no deal was near.",
    ])
    assert [surname(s) if s else None for s in said] == ["varga", "varga", None, None, None, None, "varga", None]
    assert speakers(['"We will stay," the spokesman said.'], previous="Tomas Brenn") == ["Tomas Brenn"]  # the one named


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did Varga say about the dam?", "Varga"),
        ("What was Varga's position on the treaty?", "Varga"),
        ("How did Ilse Varga describe the talks?", "Ilse Varga"),
        ("What is the position of Foreign Minister Varga on fishing?", "Varga"),
        ("When did the dam open?", None),
        ("What did they say?", None),
        ("What did Varga mean by a fair share?", "Varga"),
        ("What was Varga's position?", "Varga"),
        ("What did Mr. Brenn say about the budget?", "Brenn"),
        ("According to Dr. Varga, what causes the disease?", "Varga"),
        ("What was Sen. Varga's position on taxes?", "Varga"),
        ("What did Tomas K. Brenn say about the dam?", "Brenn"),
        ("What did de Varga say about the talks?", "de Varga"),  # a particle before the surname
        ("According to de Varga, when will the talks resume?", "de Varga"),
        ("What type of dam is it according to Tomas K. Brenn?", "Brenn"),
        # asked yes or no
        ("Did Varga say anything about the dam?", "Varga"),
        ("Has Ilse Varga mentioned the treaty?", "Ilse Varga"),
        ("Did Brenn ever talk about fishing?", "Brenn"),
        ("Does Brenn claim to be independent of the board?", "Brenn"),
        ("Did the talks succeed?", None),
        ("Does Velmora have a harbour?", None),
        ("Did Varga win the election?", None),
        # a word's meaning and a job are not anyone's words
        ("What does Keldfjord mean in Zarnovian?", None),
        ("What does ATP mean?", None),
        ("What was Varga's position at the Dam Authority?", None),
        ("In what year was Brenn appointed to the position of Chairman of the Dam Board?", None),
        # what a place or a people usually call something is no one's words; what someone called it is
        ("What does Velmora call its districts?", None),
        ("What do Zarnovians call the harbour?", None),
        ("What did Varga call the dam?", "Varga"),
        ("What would Brenn call a fair share?", "Brenn"),
        # a surname that is also a month or a modal verb, where a speaker stands
        ("What did May say about the harbour deal?", "May"),
        ("What was May's position on fishing?", "May"),
        ("Did March say anything about the dam?", "March"),
        ("What did officials say in May about the dam?", None),
        ("What did the statement of March 1921 promise?", None),
        # a post is someone's words too
        ("What did Varga tweet about the dam?", "Varga"),
        ("What did the Velmora Tweet Club discuss?", None),
        # a role before the name, as news writes it
        ("What did the Keldish president Varga say about the dam?", "Varga"),
        ("What did the foreign minister Ilse Varga tell parliament?", "Ilse Varga"),
        ("What did the president say about the dam?", None),
    ],
)
def test_asked_speaker(question, who):
    assert asked_speaker(question) == who


def test_same_speaker_compares_surnames():
    assert same_speaker("Ilse Varga", "Varga") and not same_speaker("Varga", "Brenn") and not same_speaker(None, "Varga")


@pytest.mark.parametrize(
    ("sentence", "who"),
    [  # who speaks, not who is spoken of or to
        ("The Kremlin denies any deal on sanctions, Russian presidential spokesman Dmitry Peskov said on Thursday.", "Peskov"),
        ("Merkel, Germany's Chancellor, rejected Erdogan's claims and said he was wrong.", "Merkel"),
        ("On Monday, the president of Germany's parliament, Norbert Lammert, said Erdogan was wrong.", "Lammert"),
        ("Dmitry Peskov, spokesman for Russian President Vladimir Putin, said Wednesday that the talks failed.", "Peskov"),
        ("When asked whether the ambassador discussed sanctions, Kremlin spokesman Dmitry Peskov said no.", "Peskov"),
        ("Al Jazeera's Rob McBride, reporting from Seoul, said that Tillerson stressed the need for cooperation.", "McBride"),
        ("Trump's stated policies on trade are a form of de-globalization.", None),
        ("She urged Putin to use his influence on the separatists.", None),
        ("The official added Trump will ask Merkel about Russia.", None),
        ('And Merkel criticised Turkey over freedom of the press," says Diken journalist Mehves Evin.', "Mehves Evin"),
        ('"We will not go back," said Lavrov in Moscow on Friday.', "Lavrov"),
        ('"Not now," said the spokesman.', None),
    ],
)
def test_the_speaker_not_the_one_spoken_of(sentence, who):
    got = speaker_of(sentence)
    assert (got is None) if who is None else same_speaker(got, who), got


def test_a_reporter_told_is_not_the_speaker():
    assert speakers(["Peskov said the talks failed.", "That is why the sanctions concern the leadership,\" he told TASS."]) == ["Peskov", "Peskov"]


def test_a_role_named_before_says_who_speaks():
    """"The Russian foreign minister said": the article's named foreign minister, not the last speaker."""
    said = speakers([
        "Zarnovian Foreign Minister Ilse Varga met Tomas Brenn in Keldport.",
        "Brenn said the dam was safe.",
        "As the Zarnovian foreign minister said, the treaty has not been honoured.",
        "The minister added that talks could resume.",
        "“We are ready,” said the minister.",
    ])
    assert [surname(s) if s else None for s in said] == [None, "brenn", "varga", "varga", "varga"]


def test_a_top_diplomat_is_the_foreign_minister_or_the_secretary_of_state():
    said = speakers(["Keldland's Secretary of State Anna Roe landed on Monday.", "Varga said no.",
                     "The top Keldland diplomat stressed that the border stays open."])
    assert [surname(s) if s else None for s in said] == [None, "varga", "roe"]


def test_a_countrys_top_diplomat_is_its_foreign_minister_but_a_persons_spokesman_is_their_aide():
    said = speakers([
        "Zarnovian Foreign Minister Ilse Varga met President Tomas Brenn and Keldland spokesman Anna Roe.",
        "The dam \u201cwill be built [on the lower Orlen],\u201d Zarnovia's top diplomat said.",
        "Brenn's spokesman said the talks were over.",
        "\u201cNo,\u201d said Keldland's spokesman.",
    ])
    assert [surname(s) if s else None for s in said] == [None, "varga", None, "roe"]


@pytest.mark.parametrize("sentences", [
    ["Brenn said the dam was safe.", "The spokesman said the talks were over."],  # no spokesman named: nobody known
    ["Foreign Minister Ilse Varga arrived.", "Brenn said no.", "The minister's aide said the talks were over."],
])
def test_a_role_nobody_holds_or_someone_elses_aide_is_nobody(sentences):
    assert speakers(sentences)[-1] is None


def test_a_vice_president_is_not_the_president():
    said = speakers(["President Ana Kell met Vice President Tomas Brenn.", "“Good,” the president said.",
                     "The vice president added a caveat.", "Vice Foreign Minister Ilse Varga left.", "The foreign minister said no."])
    assert [surname(s) if s else None for s in said] == [None, "kell", "brenn", None, None]


def test_a_role_held_by_two_people_named_in_the_article_says_nobody():
    said = speakers(["President Ana Kell met Keldport University president Tomas Brenn.", "“Good,” Varga said.",
                     "The president said the talks were useful.", "President Kell's aide Ilse Varga left.", "Brenn said no."])
    assert said[2] is None and said[4] == "Brenn"


@pytest.mark.parametrize("sentence", [
    "Senator Anna Roe, who asked why Zarnovian President Ilse Varga believed she could win, left early.",
    "Reporters asked whether Brenn said the dam was safe.",
    "Nobody knows how Varga described the meeting.",
])
def test_a_question_about_what_someone_says_is_not_them_speaking(sentence):
    assert speaker_of(sentence) is None


@pytest.mark.parametrize("sentence, who", [
    ("Senator Anna Roe of Keldport told reporters the bill was dead.", "Anna Roe"),  # where she comes from
    ("The bill is dead, Rep. Tomas Brenn of Zarnovia said on Tuesday.", "Tomas Brenn"),
    ("Ilse Varga of the Keldport Tenants Union, a housing group, said rents had doubled.", "Ilse Varga"),
    ("Dov Kell of the Northern List said the party would not cooperate.", "Dov Kell"),
    ("The Department of Water Resources said it was releasing more water.", "Department of Water Resources"),  # a body
    ("The Keldport Bureau of Meteorology said the storm would turn.", "Keldport Bureau of Meteorology"),
    ("The President of Zarnovia said the border was open.", "President of Zarnovia"),  # an office
    ("Zarnovian Secretary of State Ilse Varga said the talks were over.", "Varga"),  # who holds the office
    ("Founder of the Keldport Institute Anna Roe said the study was flawed.", "Roe"),
])
def test_where_someone_comes_from_is_not_who_speaks(sentence, who):
    assert surname(speaker_of(sentence)) == surname(who)


@pytest.mark.parametrize("sentence", [
    "It was sound, a spokesperson for the Keldport Department of Water Resources said.",  # the body's spokesperson
    "A spokesman for the Bank of Zarnovia's Regulation Authority said it welcomed the plan.",
])
def test_whom_a_spokesperson_speaks_for_of_a_body_is_not_who_speaks(sentence):
    assert speaker_of(sentence) is None


def test_a_question_quoted_is_asked_by_who_is_named_after_it_not_by_whom_asked_to_act():
    assert surname(speaker_of('"Why am I a terrorist?" asked Ilse Varga in an interview on Monday.')) == "varga"
    assert surname(speaker_of('"Is this a casus belli?" asked analyst Tomas Brenn.', "Anna Roe")) == "brenn"
    assert not same_speaker(speaker_of("The letter, signed by 12 senators, asked Ilse Varga to provide the files."), "Varga")


@pytest.mark.parametrize("sentence, who", [
    ("Yet that stance raises contradictions, Tomas Brenn points out.", "brenn"),
    ('"I am not aware of any of those meetings," Varga responded, according to the Post.', "varga"),
    ('"It is the law of the land," Roe conceded after the vote.', "roe"),
    ("Protesters responded by shouting at the mayor.", None),  # a crowd is no one named
    ("His remarks came amid uncertainty over the treaty.", None),  # "remarks" here is no verb, "His" no name
])
def test_more_ways_news_says_who_speaks(sentence, who):
    said = speaker_of(sentence)
    assert (surname(said) if said else None) == who


@pytest.mark.parametrize("sentence, who", [
    ("Tomas Brenn, 45, a teacher from Keldport, said the school was closed.", "brenn"),  # not Keldport
    ("Ilse Varga, 32, a freelance illustrator in Zarnovia, says the market is small.", "varga"),
    ("Anna Roe, 25, said the ward was full.", "roe"),
])
def test_an_age_before_an_apposition_still_leaves_the_name_the_speaker(sentence, who):
    assert surname(speaker_of(sentence)) == who


@pytest.mark.parametrize("sentence, who", [
    ('"No," Rep. Tomas Brenn (D-Keld.) said on Monday.', "brenn"),  # a party and state tag
    ('"I hope so," Sen. Ilse Varga (Keld.), the ranking Democrat on the Judiciary Committee, told reporters.', "varga"),
    ("House Speaker Anna Roe (R-Wis.) has said she hopes to finish by April.", "roe"),
    ("Sen. Piet Dorn (R-Minnesota) said in a statement that the law stands.", "dorn"),
])
def test_a_party_and_state_tag_after_a_name_leaves_the_name_the_speaker(sentence, who):
    """US news tags lawmakers "(D-Calif.)": the name before it speaks, not "Committee" in the apposition after it."""
    assert surname(speaker_of(sentence)) == who


@pytest.mark.parametrize("sentence, who", [
    ("Keldish Defense Minister, Tomas Brenn, said the drills were routine.", "brenn"),  # an office, then the name
    ("In a statement, the organisation's CEO, Ilse Varga, said the review raised concerns.", "varga"),
    ("Political scientist and Honorary Chairman of the Foreign Policy Council, Anna Roe, said the talks went well.", "roe"),
    ("Rep. Piet Dorn, R-Iowa, says the base would leave him.", "dorn"),  # a party tag in commas is no name
])
def test_a_name_in_commas_after_an_office_or_a_body_is_who_speaks(sentence, who):
    assert surname(speaker_of(sentence)) == who


@pytest.mark.parametrize("sentence, who", [
    ("The White House said none of its staff skipped work.", "White House"),  # not "House"
    ("On Tuesday the Keldish Foreign Ministry said the talks failed.", "Keldish Foreign Ministry"),
    ("The State Department also said in a statement that it was concerned.", "State Department"),
    ("Keldish Foreign Minister Tomas Brenn said so.", "Brenn"),  # a person as before
])
def test_a_body_that_speaks_is_named_whole(sentence, who):
    """`qa verify` says who says a quotation: the body by its whole name; matching still goes by the last word."""
    assert speaker_of(sentence) == who


def test_a_family_name_first_said_alone_is_the_person_named_in_full():
    """"Chinese President Xi Jinping said …" then "Xi said …": one person (news names the family first in East Asian
    names, then the person by it alone), so "What did Xi Jinping say?" finds both; "Trump Tower" makes no one "Trump Tower"."""
    said = speakers(["Keldish Foreign Minister Wang Yi met his counterpart.", "Wang said the talks went well.",
                     "Chinese President Xi Jinping said trade must stay open.", "Xi said the world faces a crossroads."])
    assert said[1] == "Wang Yi" and same_speaker(said[1], "Wang Yi") and same_speaker(said[3], "Xi Jinping")
    assert same_speaker(said[2], said[3])
    assert speakers(["President Trump visited Trump Tower.", "Trump said it was great."]) == [None, "Trump"]
    assert speakers(["Donald Trump met Tomas Brenn.", "Trump said it was great."])[1] == "Trump"  # the surname, as before
