/// The calibration text `kiln imatrix` (and `kiln quantize --budget`) reads when no `--file` is given:
/// English prose and dialogue, Spanish, Python code, chat turns and short texts in 23 languages and
/// Chinese, Japanese and Korean, all public domain or permissively licensed. Where each part comes
/// from: Scripts/fixtures/make_calibration_text.py, which writes this file. None of it is from the
/// evaluation text (Fixtures/text/eval.txt, `DefaultEvaluationText`).
public enum DefaultCalibrationText {
    /// What an importance matrix made from this text records as its dataset.
    public static let name = "kiln-calibration-v1"

    public static let text = #"""
The Book of Proverbs

Chapter 1

The proverbs of Solomon the son of David, king of Israel; To know wisdom and instruction; to perceive the words of understanding; To receive the instruction of wisdom, justice, and judgment, and equity; To give subtilty to the simple, to the young man knowledge and discretion. A wise man will hear, and will increase learning; and a man of understanding shall attain unto wise counsels: To understand a proverb, and the interpretation; the words of the wise, and their dark sayings. The fear of the LORD is the beginning of knowledge: but fools despise wisdom and instruction. My son, hear the instruction of thy father, and forsake not the law of thy mother: For they shall be an ornament of grace unto thy head, and chains about thy neck. My son, if sinners entice thee, consent thou not. If they say, Come with us, let us lay wait for blood, let us lurk privily for the innocent without cause: Let us swallow them up alive as the grave; and whole, as those that go down into the pit: We shall find all precious substance, we shall fill our houses with spoil: Cast in thy lot among us; let us all have one purse: My son, walk not thou in the way with them; refrain thy foot from their path: For their feet run to evil, and make haste to shed blood. Surely in vain the net is spread in the sight of any bird. And they lay wait for their own blood; they lurk privily for their own lives. So are the ways of every one that is greedy of gain; which taketh away the life of the owners thereof. Wisdom crieth without; she uttereth her voice in the streets: She crieth in the chief place of concourse, in the openings of the gates: in the city she uttereth her words, saying, How long, ye simple ones, will ye love simplicity? and the scorners delight in their scorning, and fools hate knowledge? Turn you at my reproof: behold, I will pour out my spirit unto you, I will make known my words unto you. Because I have called, and ye refused; I have stretched out my hand, and no man regarded; But ye have set at nought all my counsel, and would none of my reproof: I also will laugh at your calamity; I will mock when your fear cometh; When your fear cometh as desolation, and your destruction cometh as a whirlwind; when distress and anguish cometh upon you. Then shall they call upon me, but I will not answer; they shall seek me early, but they shall not find me: For that they hated knowledge, and did not choose the fear of the LORD: They would none of my counsel: they despised all my reproof. Therefore shall they eat of the fruit of their own way, and be filled with their own devices. For the turning away of the simple shall slay them, and the prosperity of fools shall destroy them. But whoso hearkeneth unto me shall dwell safely, and shall be quiet from fear of evil.

Chapter 2

My son, if thou wilt receive my words, and hide my commandments with thee; So that thou incline thine ear unto wisdom, and apply thine heart to understanding; Yea, if thou criest after knowledge, and liftest up thy voice for understanding; If thou seekest her as silver, and searchest for her as for hid treasures; Then shalt thou understand the fear of the LORD, and find the knowledge of God. For the LORD giveth wisdom: out of his mouth cometh knowledge and understanding. He layeth up sound wisdom for the righteous: he is a buckler to them that walk uprightly. He keepeth the paths of judgment, and preserveth the way of his saints. Then shalt thou understand righteousness, and judgment, and equity; yea, every good path. When wisdom entereth into thine heart, and knowledge is pleasant unto thy soul; Discretion shall preserve thee, understanding shall keep thee: To deliver thee from the way of the evil man, from the man that speaketh froward things; Who leave the paths of uprightness, to walk in the ways of darkness; Who rejoice to do evil, and delight in the frowardness of the wicked; Whose ways are crooked, and they froward in their paths: To deliver thee from the strange woman, even from the stranger which flattereth with her words; Which forsaketh the guide of her youth, and forgetteth the covenant of her God. For her house inclineth unto death, and her paths unto the dead. None that go unto her return again, neither take they hold of the paths of life. That thou mayest walk in the way of good men, and keep the paths of the righteous. For the upright shall dwell in the land, and the perfect shall remain in it. But the wicked shall be cut off from the earth, and the transgressors shall be rooted out of it.

Chapter 3

My son, forget not my law; but let thine heart keep my commandments: For length of days, and long life, and peace, shall they add to thee. Let not mercy and truth forsake thee: bind them about thy neck; write them upon the table of thine heart: So shalt thou find favour and good understanding in the sight of God and man. Trust in the LORD with all thine heart; and lean not unto thine own understanding. In all thy ways acknowledge him, and he shall direct thy paths. Be not wise in thine own eyes: fear the LORD, and depart from evil. It shall be health to thy navel, and marrow to thy bones. Honour the LORD with thy substance, and with the firstfruits of all thine increase: So shall thy barns be filled with plenty, and thy presses shall burst out with new wine. My son, despise not the chastening of the LORD; neither be weary of his correction: For whom the LORD loveth he correcteth; even as a father the son in whom he delighteth. Happy is the man that findeth wisdom, and the man that getteth understanding. For the merchandise of it is better than the merchandise of silver, and the gain thereof than fine gold. She is more precious than rubies: and all the things thou canst desire are not to be compared unto her. Length of days is in her right hand; and in her left hand riches and honour. Her ways are ways of pleasantness, and all her paths are peace. She is a tree of life to them that lay hold upon her: and happy is every one that retaineth her. The LORD by wisdom hath founded the earth; by understanding hath he established the heavens. By his knowledge the depths are broken up, and the clouds drop down the dew. My son, let not them depart from thine eyes: keep sound wisdom and discretion: So shall they be life unto thy soul, and grace to thy neck. Then shalt thou walk in thy way safely, and thy foot shall not stumble. When thou liest down, thou shalt not be afraid: yea, thou shalt lie down, and thy sleep shall be sweet. Be not afraid of sudden fear, neither of the desolation of the wicked, when it cometh. For the LORD shall be thy confidence, and shall keep thy foot from being taken. Withhold not good from them to whom it is due, when it is in the power of thine hand to do it. Say not unto thy neighbour, Go, and come again, and to morrow I will give; when thou hast it by thee. Devise not evil against thy neighbour, seeing he dwelleth securely by thee. Strive not with a man without cause, if he have done thee no harm. Envy thou not the oppressor, and choose none of his ways. For the froward is abomination to the LORD: but his secret is with the righteous. The curse of the LORD is in the house of the wicked: but he blesseth the habitation of the just. Surely he scorneth the scorners: but he giveth grace unto the lowly. The wise shall inherit glory: but shame shall be the promotion of fools.

Chapter 4

Hear, ye children, the instruction of a father, and attend to know understanding. For I give you good doctrine, forsake ye not my law. For I was my father's son, tender and only beloved in the sight of my mother. He taught me also, and said unto me, Let thine heart retain my words: keep my commandments, and live. Get wisdom, get understanding: forget it not; neither decline from the words of my mouth. Forsake her not, and she shall preserve thee: love her, and she shall keep thee. Wisdom is the principal thing; therefore get wisdom: and with all thy getting get understanding. Exalt her, and she shall promote thee: she shall bring thee to honour, when thou dost embrace her. She shall give to thine head an ornament of grace: a crown of glory shall she deliver to thee. Hear, O my son, and receive my sayings; and the years of thy life shall be many. I have taught thee in the way of wisdom; I have led thee in right paths. When thou goest, thy steps shall not be straitened; and when thou runnest, thou shalt not stumble. Take fast hold of instruction; let her not go: keep her; for she is thy life. Enter not into the path of the wicked, and go not in the way of evil men. Avoid it, pass not by it, turn from it, and pass away. For they sleep not, except they have done mischief; and their sleep is taken away, unless they cause some to fall. For they eat the bread of wickedness, and drink the wine of violence. But the path of the just is as the shining light, that shineth more and more unto the perfect day. The way of the wicked is as darkness: they know not at what they stumble. My son, attend to my words; incline thine ear unto my sayings. Let them not depart from thine eyes; keep them in the midst of thine heart. For they are life unto those that find them, and health to all their flesh. Keep thy heart with all diligence; for out of it are the issues of life. Put away from thee a froward mouth, and perverse lips put far from thee. Let thine eyes look right on, and let thine eyelids look straight before thee. Ponder the path of thy feet, and let all thy ways be established. Turn not to the right hand nor to the left: remove thy foot from evil.

Chapter 5

My son, attend unto my wisdom, and bow thine ear to my understanding: That thou mayest regard discretion, and that thy lips may keep knowledge. For the lips of a strange woman drop as an honeycomb, and her mouth is smoother than oil: But her end is bitter as wormwood, sharp as a two-edged sword. Her feet go down to death; her steps take hold on hell. Lest thou shouldest ponder the path of life, her ways are moveable, that thou canst not know them. Hear me now therefore, O ye children, and depart not from the words of my mouth. Remove thy way far from her, and come not nigh the door of her house: Lest thou give thine honour unto others, and thy years unto the cruel: Lest strangers be filled with thy wealth; and thy labours be in the house of a stranger; And thou mourn at the last, when thy flesh and thy body are consumed, And say, How have I hated instruction, and my heart despised reproof; And have not obeyed the voice of my teachers, nor inclined mine ear to them that instructed me! I was almost in all evil in the midst of the congregation and assembly. Drink waters out of thine own cistern, and running waters out of thine own well. Let thy fountains be dispersed abroad, and rivers of waters in the streets. Let them be only thine own, and not strangers' with thee. Let thy fountain be blessed: and rejoice with the wife of thy youth. Let her be as the loving hind and pleasant roe; let her breasts satisfy thee at all times; and be thou ravished always with her love. And why wilt thou, my son, be ravished with a strange woman, and embrace the bosom of a stranger? For the ways of man are before the eyes of the LORD, and he pondereth all his goings. His own iniquities shall take the wicked himself, and he shall be holden with the cords of his sins. He shall die without instruction; and in the greatness of his folly he shall go astray.

Chapter 6

My son, if thou be surety for thy friend, if thou hast stricken thy hand with a stranger, Thou art snared with the words of thy mouth, thou art taken with the words of thy mouth. Do this now, my son, and deliver thyself, when thou art come into the hand of thy friend; go, humble thyself, and make sure thy friend. Give not sleep to thine eyes, nor slumber to thine eyelids. Deliver thyself as a roe from the hand of the hunter, and as a bird from the hand of the fowler. Go to the ant, thou sluggard; consider her ways, and be wise: Which having no guide, overseer, or ruler, Provideth her meat in the summer, and gathereth her food in the harvest. How long wilt thou sleep, O sluggard? when wilt thou arise out of thy sleep? Yet a little sleep, a little slumber, a little folding of the hands to sleep: So shall thy poverty come as one that travelleth, and thy want as an armed man. A naughty person, a wicked man, walketh with a froward mouth. He winketh with his eyes, he speaketh with his feet, he teacheth with his fingers; Frowardness is in his heart, he deviseth mischief continually; he soweth discord. Therefore shall his calamity come suddenly; suddenly shall he be broken without remedy. These six things doth the LORD hate: yea, seven are an abomination unto him: A proud look, a lying tongue, and hands that shed innocent blood, An heart that deviseth wicked imaginations, feet that be swift in running to mischief, A false witness that speaketh lies, and he that soweth discord among brethren. My son, keep thy father's commandment, and forsake not the law of thy mother: Bind them continually upon thine heart, and tie them about thy neck. When thou goest, it shall lead thee; when thou sleepest, it shall keep thee; and when thou awakest, it shall talk with thee. For the commandment is a lamp; and the law is light; and reproofs of instruction are the way of life: To keep thee from the evil woman, from the flattery of the tongue of a strange woman. Lust not after her beauty in thine heart; neither let her take thee with her eyelids. For by means of a whorish woman a man is brought to a piece of bread: and the adulteress will hunt for the precious life. Can a man take fire in his bosom, and his clothes not be burned? Can one go upon hot coals, and his feet not be burned? So he that goeth in to his neighbour's wife; whosoever toucheth her shall not be innocent. Men do not despise a thief, if he steal to satisfy his soul when he is hungry; But if he be found, he shall restore sevenfold; he shall give all the substance of his house. But whoso committeth adultery with a woman lacketh understanding: he that doeth it destroyeth his own soul. A wound and dishonour shall he get; and his reproach shall not be wiped away. For jealousy is the rage of a man: therefore he will not spare in the day of vengeance. He will not regard any ransom; neither will he rest content, though thou givest many gifts.

Chapter 7

My son, keep my words, and lay up my commandments with thee. Keep my commandments, and live; and my law as the apple of thine eye. Bind them upon thy fingers, write them upon the table of thine heart. Say unto wisdom, Thou art my sister; and call understanding thy kinswoman: That they may keep thee from the strange woman, from the stranger which flattereth with her words. For at the window of my house I looked through my casement, And beheld among the simple ones, I discerned among the youths, a young man void of understanding, Passing through the street near her corner; and he went the way to her house, In the twilight, in the evening, in the black and dark night: And, behold, there met him a woman with the attire of an harlot, and subtil of heart. (She is loud and stubborn; her feet abide not in her house: Now is she without, now in the streets, and lieth in wait at every corner.) So she caught him, and kissed him, and with an impudent face said unto him, I have peace offerings with me; this day have I payed my vows. Therefore came I forth to meet thee, diligently to seek thy face, and I have found thee. I have decked my bed with coverings of tapestry, with carved works, with fine linen of Egypt. I have perfumed my bed with myrrh, aloes, and cinnamon. Come, let us take our fill of love until the morning: let us solace ourselves with loves. For the goodman is not at home, he is gone a long journey: He hath taken a bag of money with him, and will come home at the day appointed. With her much fair speech she caused him to yield, with the flattering of her lips she forced him. He goeth after her straightway, as an ox goeth to the slaughter, or as a fool to the correction of the stocks; Till a dart strike through his liver; as a bird hasteth to the snare, and knoweth not that it is for his life. Hearken unto me now therefore, O ye children, and attend to the words of my mouth. Let not thine heart decline to her ways, go not astray in her paths. For she hath cast down many wounded: yea, many strong men have been slain by her. Her house is the way to hell, going down to the chambers of death.

Chapter 8

Doth not wisdom cry? and understanding put forth her voice? She standeth in the top of high places, by the way in the places of the paths. She crieth at the gates, at the entry of the city, at the coming in at the doors. Unto you, O men, I call; and my voice is to the sons of man. O ye simple, understand wisdom: and, ye fools, be ye of an understanding heart. Hear; for I will speak of excellent things; and the opening of my lips shall be right things. For my mouth shall speak truth; and wickedness is an abomination to my lips. All the words of my mouth are in righteousness; there is nothing froward or perverse in them. They are all plain to him that understandeth, and right to them that find knowledge. Receive my instruction, and not silver; and knowledge rather than choice gold. For wisdom is better than rubies; and all the things that may be desired are not to be compared to it. I wisdom dwell with prudence, and find out knowledge of witty inventions. The fear of the LORD is to hate evil: pride, and arrogancy, and the evil way, and the froward mouth, do I hate. Counsel is mine, and sound wisdom: I am understanding; I have strength. By me kings reign, and princes decree justice. By me princes rule, and nobles, even all the judges of the earth. I love them that love me; and those that seek me early shall find me. Riches and honour are with me; yea, durable riches and righteousness. My fruit is better than gold, yea, than fine gold; and my revenue than choice silver. I lead in the way of righteousness, in the midst of the paths of judgment: That I may cause those that love me to inherit substance; and I will fill their treasures. The LORD possessed me in the beginning of his way, before his works of old. I was set up from everlasting, from the beginning, or ever the earth was. When there were no depths, I was brought forth; when there were no fountains abounding with water. Before the mountains were settled, before the hills was I brought forth: While as yet he had not made the earth, nor the fields, nor the highest part of the dust of the world. When he prepared the heavens, I was there: when he set a compass upon the face of the depth: When he established the clouds above: when he strengthened the fountains of the deep: When he gave to the sea his decree, that the waters should not pass his commandment: when he appointed the foundations of the earth: Then I was by him, as one brought up with him: and I was daily his delight, rejoicing always before him; Rejoicing in the habitable part of his earth; and my delights were with the sons of men. Now therefore hearken unto me, O ye children: for blessed are they that keep my ways. Hear instruction, and be wise, and refuse it not. Blessed is the man that heareth me, watching daily at my gates, waiting at the posts of my doors. For whoso findeth me findeth life, and shall obtain favour of the LORD. But he that sinneth against me wrongeth his own soul: all they that hate me love death.

Chapter 9

Wisdom hath builded her house, she hath hewn out her seven pillars: She hath killed her beasts; she hath mingled her wine; she hath also furnished her table. She hath sent forth her maidens: she crieth upon the highest places of the city, Whoso is simple, let him turn in hither: as for him that wanteth understanding, she saith to him, Come, eat of my bread, and drink of the wine which I have mingled. Forsake the foolish, and live; and go in the way of understanding. He that reproveth a scorner getteth to himself shame: and he that rebuketh a wicked man getteth himself a blot. Reprove not a scorner, lest he hate thee: rebuke a wise man, and he will love thee. Give instruction to a wise man, and he will be yet wiser: teach a just man, and he will increase in learning. The fear of the LORD is the beginning of wisdom: and the knowledge of the holy is understanding. For by me thy days shall be multiplied, and the years of thy life shall be increased. If thou be wise, thou shalt be wise for thyself: but if thou scornest, thou alone shalt bear it. A foolish woman is clamorous: she is simple, and knoweth nothing. For she sitteth at the door of her house, on a seat in the high places of the city, To call passengers who go right on their ways: Whoso is simple, let him turn in hither: and as for him that wanteth understanding, she saith to him, Stolen waters are sweet, and bread eaten in secret is pleasant. But he knoweth not that the dead are there; and that her guests are in the depths of hell.

The Book of Mark

Chapter 1

The beginning of the gospel of Jesus Christ, the Son of God; As it is written in the prophets, Behold, I send my messenger before thy face, which shall prepare thy way before thee. The voice of one crying in the wilderness, Prepare ye the way of the Lord, make his paths straight. John did baptize in the wilderness, and preach the baptism of repentance for the remission of sins. And there went out unto him all the land of Judaea, and they of Jerusalem, and were all baptized of him in the river of Jordan, confessing their sins. And John was clothed with camel's hair, and with a girdle of a skin about his loins; and he did eat locusts and wild honey; And preached, saying, There cometh one mightier than I after me, the latchet of whose shoes I am not worthy to stoop down and unloose. I indeed have baptized you with water: but he shall baptize you with the Holy Ghost. And it came to pass in those days, that Jesus came from Nazareth of Galilee, and was baptized of John in Jordan. And straightway coming up out of the water, he saw the heavens opened, and the Spirit like a dove descending upon him: And there came a voice from heaven, saying, Thou art my beloved Son, in whom I am well pleased. And immediately the Spirit driveth him into the wilderness. And he was there in the wilderness forty days, tempted of Satan; and was with the wild beasts; and the angels ministered unto him. Now after that John was put in prison, Jesus came into Galilee, preaching the gospel of the kingdom of God, And saying, The time is fulfilled, and the kingdom of God is at hand: repent ye, and believe the gospel. Now as he walked by the sea of Galilee, he saw Simon and Andrew his brother casting a net into the sea: for they were fishers. And Jesus said unto them, Come ye after me, and I will make you to become fishers of men. And straightway they forsook their nets, and followed him. And when he had gone a little farther thence, he saw James the son of Zebedee, and John his brother, who also were in the ship mending their nets. And straightway he called them: and they left their father Zebedee in the ship with the hired servants, and went after him. And they went into Capernaum; and straightway on the sabbath day he entered into the synagogue, and taught. And they were astonished at his doctrine: for he taught them as one that had authority, and not as the scribes. And there was in their synagogue a man with an unclean spirit; and he cried out, Saying, Let us alone; what have we to do with thee, thou Jesus of Nazareth? art thou come to destroy us? I know thee who thou art, the Holy One of God. And Jesus rebuked him, saying, Hold thy peace, and come out of him. And when the unclean spirit had torn him, and cried with a loud voice, he came out of him. And they were all amazed, insomuch that they questioned among themselves, saying, What thing is this? what new doctrine is this? for with authority commandeth he even the unclean spirits, and they do obey him. And immediately his fame spread abroad throughout all the region round about Galilee. And forthwith, when they were come out of the synagogue, they entered into the house of Simon and Andrew, with James and John. But Simon's wife's mother lay sick of a fever, and anon they tell him of her. And he came and took her by the hand, and lifted her up; and immediately the fever left her, and she ministered unto them. And at even, when the sun did set, they brought unto him all that were diseased, and them that were possessed with devils. And all the city was gathered together at the door. And he healed many that were sick of divers diseases, and cast out many devils; and suffered not the devils to speak, because they knew him. And in the morning, rising up a great while before day, he went out, and departed into a solitary place, and there prayed. And Simon and they that were with him followed after him. And when they had found him, they said unto him, All men seek for thee. And he said unto them, Let us go into the next towns, that I may preach there also: for therefore came I forth. And he preached in their synagogues throughout all Galilee, and cast out devils. And there came a leper to him, beseeching him, and kneeling down to him, and saying unto him, If thou wilt, thou canst make me clean. And Jesus, moved with compassion, put forth his hand, and touched him, and saith unto him, I will; be thou clean. And as soon as he had spoken, immediately the leprosy departed from him, and he was cleansed. And he straitly charged him, and forthwith sent him away; And saith unto him, See thou say nothing to any man: but go thy way, shew thyself to the priest, and offer for thy cleansing those things which Moses commanded, for a testimony unto them. But he went out, and began to publish it much, and to blaze abroad the matter, insomuch that Jesus could no more openly enter into the city, but was without in desert places: and they came to him from every quarter.

Chapter 2

And again he entered into Capernaum after some days; and it was noised that he was in the house. And straightway many were gathered together, insomuch that there was no room to receive them, no, not so much as about the door: and he preached the word unto them. And they come unto him, bringing one sick of the palsy, which was borne of four. And when they could not come nigh unto him for the press, they uncovered the roof where he was: and when they had broken it up, they let down the bed wherein the sick of the palsy lay. When Jesus saw their faith, he said unto the sick of the palsy, Son, thy sins be forgiven thee. But there were certain of the scribes sitting there, and reasoning in their hearts, Why doth this man thus speak blasphemies? who can forgive sins but God only? And immediately when Jesus perceived in his spirit that they so reasoned within themselves, he said unto them, Why reason ye these things in your hearts? Whether is it easier to say to the sick of the palsy, Thy sins be forgiven thee; or to say, Arise, and take up thy bed, and walk? But that ye may know that the Son of man hath power on earth to forgive sins, (he saith to the sick of the palsy,) I say unto thee, Arise, and take up thy bed, and go thy way into thine house. And immediately he arose, took up the bed, and went forth before them all; insomuch that they were all amazed, and glorified God, saying, We never saw it on this fashion. And he went forth again by the sea side; and all the multitude resorted unto him, and he taught them. And as he passed by, he saw Levi the son of Alphaeus sitting at the receipt of custom, and said unto him, Follow me. And he arose and followed him. And it came to pass, that, as Jesus sat at meat in his house, many publicans and sinners sat also together with Jesus and his disciples: for there were many, and they followed him. And when the scribes and Pharisees saw him eat with publicans and sinners, they said unto his disciples, How is it that he eateth and drinketh with publicans and sinners? When Jesus heard it, he saith unto them, They that are whole have no need of the physician, but they that are sick: I came not to call the righteous, but sinners to repentance. And the disciples of John and of the Pharisees used to fast: and they come and say unto him, Why do the disciples of John and of the Pharisees fast, but thy disciples fast not? And Jesus said unto them, Can the children of the bridechamber fast, while the bridegroom is with them? as long as they have the bridegroom with them, they cannot fast. But the days will come, when the bridegroom shall be taken away from them, and then shall they fast in those days. No man also seweth a piece of new cloth on an old garment: else the new piece that filled it up taketh away from the old, and the rent is made worse. And no man putteth new wine into old bottles: else the new wine doth burst the bottles, and the wine is spilled, and the bottles will be marred: but new wine must be put into new bottles. And it came to pass, that he went through the corn fields on the sabbath day; and his disciples began, as they went, to pluck the ears of corn. And the Pharisees said unto him, Behold, why do they on the sabbath day that which is not lawful? And he said unto them, Have ye never read what David did, when he had need, and was an hungred, he, and they that were with him? How he went into the house of God in the days of Abiathar the high priest, and did eat the shewbread, which is not lawful to eat but for the priests, and gave also to them which were with him? And he said unto them, The sabbath was made for man, and not man for the sabbath: Therefore the Son of man is Lord also of the sabbath.

Chapter 3

And he entered again into the synagogue; and there was a man there which had a withered hand. And they watched him, whether he would heal him on the sabbath day; that they might accuse him. And he saith unto the man which had the withered hand, Stand forth. And he saith unto them, Is it lawful to do good on the sabbath days, or to do evil? to save life, or to kill? But they held their peace. And when he had looked round about on them with anger, being grieved for the hardness of their hearts, he saith unto the man, Stretch forth thine hand. And he stretched it out: and his hand was restored whole as the other. And the Pharisees went forth, and straightway took counsel with the Herodians against him, how they might destroy him. But Jesus withdrew himself with his disciples to the sea: and a great multitude from Galilee followed him, and from Judaea, And from Jerusalem, and from Idumaea, and from beyond Jordan; and they about Tyre and Sidon, a great multitude, when they had heard what great things he did, came unto him. And he spake to his disciples, that a small ship should wait on him because of the multitude, lest they should throng him. For he had healed many; insomuch that they pressed upon him for to touch him, as many as had plagues. And unclean spirits, when they saw him, fell down before him, and cried, saying, Thou art the Son of God. And he straitly charged them that they should not make him known. And he goeth up into a mountain, and calleth unto him whom he would: and they came unto him. And he ordained twelve, that they should be with him, and that he might send them forth to preach, And to have power to heal sicknesses, and to cast out devils: And Simon he surnamed Peter; And James the son of Zebedee, and John the brother of James; and he surnamed them Boanerges, which is, The sons of thunder: And Andrew, and Philip, and Bartholomew, and Matthew, and Thomas, and James the son of Alphaeus, and Thaddaeus, and Simon the Canaanite, And Judas Iscariot, which also betrayed him: and they went into an house. And the multitude cometh together again, so that they could not so much as eat bread. And when his friends heard of it, they went out to lay hold on him: for they said, He is beside himself. And the scribes which came down from Jerusalem said, He hath Beelzebub, and by the prince of the devils casteth he out devils. And he called them unto him, and said unto them in parables, How can Satan cast out Satan? And if a kingdom be divided against itself, that kingdom cannot stand. And if a house be divided against itself, that house cannot stand. And if Satan rise up against himself, and be divided, he cannot stand, but hath an end. No man can enter into a strong man's house, and spoil his goods, except he will first bind the strong man; and then he will spoil his house. Verily I say unto you, All sins shall be forgiven unto the sons of men, and blasphemies wherewith soever they shall blaspheme: But he that shall blaspheme against the Holy Ghost hath never forgiveness, but is in danger of eternal damnation: Because they said, He hath an unclean spirit. There came then his brethren and his mother, and, standing without, sent unto him, calling him. And the multitude sat about him, and they said unto him, Behold, thy mother and thy brethren without seek for thee. And he answered them, saying, Who is my mother, or my brethren? And he looked round about on them which sat about him, and said, Behold my mother and my brethren! For whosoever shall do the will of God, the same is my brother, and my sister, and mother.

User: My laptop has 16 GB of memory. Which quantization should I pick for a 13B model?
Assistant: A 13B model at Q4_K_M needs about 8 GB for the weights, plus the KV cache for your context. That leaves room for the operating system and a browser. If answers look worse than you expect, try Q5_K_M; if memory is tight, Q3_K_M still works but loses more quality.
User: What is the KV cache, exactly?
Assistant: While the model reads a prompt, every layer computes a key and a value for each token. Keeping them means the next token only needs its own keys and values, not the whole prompt again. The cache grows with the context length, so a 32k context can take several gigabytes on its own.
User: Can you give me a recipe for a quick dinner?
Assistant: Sure. Boil pasta in salted water. Meanwhile warm olive oil with two sliced cloves of garlic and a pinch of chili flakes, then add a can of chopped tomatoes and simmer for ten minutes. Toss the drained pasta in the sauce with a spoon of the cooking water, and finish with basil and grated cheese.
User: Thanks! How long will it take?
Assistant: About twenty minutes from cold water to plate.
User: Translate "the train leaves at seven" into French and German.
Assistant: French: « Le train part à sept heures. » German: „Der Zug fährt um sieben Uhr ab.“
User: Why does my Python script say "IndexError: list index out of range"?
Assistant: The code asked for a position the list does not have. A list of three items has indices 0, 1 and 2, so items[3] fails. Print len(items) just before the failing line, or loop with `for item in items:` instead of counting indices by hand.
User: Write a haiku about autumn.
Assistant: Maple leaves let go / the river carries red light / past the sleeping mill
User: Is it going to rain tomorrow?
Assistant: I cannot see a forecast from here. Check your local weather service; if it says sixty percent or more, take an umbrella.
User: Explain recursion to a ten-year-old.
Assistant: Imagine you are in a line of people and want to know your place. You ask the person in front of you. They ask the person in front of them, and so on, until the first person says "I am number one." Then each person adds one and passes the answer back. That is recursion: a problem solved by asking a smaller copy of the same question.
User: Summarize the plot of a heist film in two sentences.
Assistant: A retired safecracker is pulled back for one last job by a crew that needs her skills to rob a casino during a boxing match. The plan goes wrong in every way except the one that matters, and she walks away with the money and her old partner's trust.
User: How do I convert 72 degrees Fahrenheit to Celsius?
Assistant: Subtract 32 and multiply by five ninths: (72 - 32) x 5 / 9 = 22.2 degrees Celsius.

Therefore when the Lord knew that the Pharisees had heard that Jesus was making and baptizing more disciples than John (although Jesus himself didn’t baptize, but his disciples), he left Judea and departed into Galilee. He needed to pass through Samaria. So he came to a city of Samaria called Sychar, near the parcel of ground that Jacob gave to his son Joseph. Jacob’s well was there. Jesus therefore, being tired from his journey, sat down by the well. It was about the sixth hour. A woman of Samaria came to draw water. Jesus said to her, “Give me a drink.”For his disciples had gone away into the city to buy food. The Samaritan woman therefore said to him, “How is it that you, being a Jew, ask for a drink from me, a Samaritan woman?” (For Jews have no dealings with Samaritans.) Jesus answered her, “If you knew the gift of God, and who it is who says to you, ‘Give me a drink,’ you would have asked him, and he would have given you living water.”The woman said to him, “Sir, you have nothing to draw with, and the well is deep. So where do you get that living water? Are you greater than our father Jacob, who gave us the well and drank from it himself, as did his children and his livestock?” Jesus answered her, “Everyone who drinks of this water will thirst again, but whoever drinks of the water that I will give him will never thirst again; but the water that I will give him will become in him a well of water springing up to eternal life.”The woman said to him, “Sir, give me this water, so that I don’t get thirsty, neither come all the way here to draw.” Jesus said to her, “Go, call your husband, and come here.” The woman answered, “I have no husband.” Jesus said to her, “You said well, ‘I have no husband,’ for you have had five husbands; and he whom you now have is not your husband. This you have said truly.”The woman said to him, “Sir, I perceive that you are a prophet. Our fathers worshiped in this mountain, and you Jews say that in Jerusalem is the place where people ought to worship.” Jesus said to her, “Woman, believe me, the hour is coming when neither in this mountain nor in Jerusalem will you worship the Father. You worship that which you don’t know. We worship that which we know; for salvation is from the Jews. But the hour comes, and now is, when the true worshipers will worship the Father in spirit and truth, for the Father seeks such to be his worshipers. God is spirit, and those who worship him must worship in spirit and truth.”The woman said to him, “I know that Messiah is coming, he who is called Christ. When he has come, he will declare to us all things.” Jesus said to her, “I am he, the one who speaks to you.”Just then, his disciples came. They marveled that he was speaking with a woman; yet no one said, “What are you looking for?” or, “Why do you speak with her?” So the woman left her water pot, went away into the city, and said to the people, “Come, see a man who told me everything that I have done. Can this be the Christ?” They went out of the city, and were coming to him. In the meanwhile, the disciples urged him, saying, “Rabbi, eat.” But he said to them, “I have food to eat that you don’t know about.”The disciples therefore said to one another, “Has anyone brought him something to eat?” Jesus said to them, “My food is to do the will of him who sent me and to accomplish his work. Don’t you say, ‘There are yet four months until the harvest?’ Behold, I tell you, lift up your eyes and look at the fields, that they are white for harvest already. He who reaps receives wages and gathers fruit to eternal life, that both he who sows and he who reaps may rejoice together. For in this the saying is true, ‘One sows, and another reaps.’ I sent you to reap that for which you haven’t labored. Others have labored, and you have entered into their labor.”From that city many of the Samaritans believed in him because of the word of the woman, who testified, “He told me everything that I have done.” So when the Samaritans came to him, they begged him to stay with them. He stayed there two days. Many more believed because of his word. They said to the woman, “Now we believe, not because of your speaking; for we have heard for ourselves, and know that this is indeed the Christ, the Savior of the world.” After the two days he went out from there and went into Galilee. For Jesus himself testified that a prophet has no honor in his own country. So when he came into Galilee, the Galileans received him, having seen all the things that he did in Jerusalem at the feast, for they also went to the feast. Jesus came therefore again to Cana of Galilee, where he made the water into wine. There was a certain nobleman whose son was sick at Capernaum. When he heard that Jesus had come out of Judea into Galilee, he went to him and begged him that he would come down and heal his son, for he was at the point of death. Jesus therefore said to him, “Unless you see signs and wonders, you will in no way believe.” The nobleman said to him, “Sir, come down before my child dies.” Jesus said to him, “Go your way. Your son lives.”The man believed the word that Jesus spoke to him, and he went his way. As he was going down, his servants met him and reported, saying “Your child lives!” So he inquired of them the hour when he began to get better. They said therefore to him, “Yesterday at the seventh hour, the fever left him.” So the father knew that it was at that hour in which Jesus said to him, “Your son lives.” He believed, as did his whole house. This is again the second sign that Jesus did, having come out of Judea into Galilee.

As he passed by, he saw a man blind from birth. His disciples asked him, “Rabbi, who sinned, this man or his parents, that he was born blind?” Jesus answered, “This man didn’t sin, nor did his parents, but that the works of God might be revealed in him. I must work the works of him who sent me while it is day. The night is coming, when no one can work. While I am in the world, I am the light of the world.”When he had said this, he spat on the ground, made mud with the saliva, anointed the blind man’s eyes with the mud, and said to him, “Go, wash in the pool of Siloam” (which means “Sent”). So he went away, washed, and came back seeing. Therefore the neighbors and those who saw that he was blind before said, “Isn’t this he who sat and begged?” Others were saying, “It is he.” Still others were saying, “He looks like him.” He said, “I am he.” They therefore were asking him, “How were your eyes opened?” He answered, “A man called Jesus made mud, anointed my eyes, and said to me, ‘Go to the pool of Siloam and wash.’ So I went away and washed, and I received sight.” Then they asked him, “Where is he?” He said, “I don’t know.” They brought him who had been blind to the Pharisees. It was a Sabbath when Jesus made the mud and opened his eyes. Again therefore the Pharisees also asked him how he received his sight. He said to them, “He put mud on my eyes, I washed, and I see.” Some therefore of the Pharisees said, “This man is not from God, because he doesn’t keep the Sabbath.” Others said, “How can a man who is a sinner do such signs?” So there was division among them. Therefore they asked the blind man again, “What do you say about him, because he opened your eyes?” He said, “He is a prophet.” The Jews therefore didn’t believe concerning him, that he had been blind and had received his sight, until they called the parents of him who had received his sight, and asked them, “Is this your son, whom you say was born blind? How then does he now see?” His parents answered them, “We know that this is our son, and that he was born blind; but how he now sees, we don’t know; or who opened his eyes, we don’t know. He is of age. Ask him. He will speak for himself.” His parents said these things because they feared the Jews; for the Jews had already agreed that if any man would confess him as Christ, he would be put out of the synagogue. Therefore his parents said, “He is of age. Ask him.” So they called the man who was blind a second time, and said to him, “Give glory to God. We know that this man is a sinner.” He therefore answered, “I don’t know if he is a sinner. One thing I do know: that though I was blind, now I see.” They said to him again, “What did he do to you? How did he open your eyes?” He answered them, “I told you already, and you didn’t listen. Why do you want to hear it again? You don’t also want to become his disciples, do you?” They insulted him and said, “You are his disciple, but we are disciples of Moses. We know that God has spoken to Moses. But as for this man, we don’t know where he comes from.” The man answered them, “How amazing! You don’t know where he comes from, yet he opened my eyes. We know that God doesn’t listen to sinners, but if anyone is a worshiper of God and does his will, he listens to him. Since the world began it has never been heard of that anyone opened the eyes of someone born blind. If this man were not from God, he could do nothing.” They answered him, “You were altogether born in sins, and do you teach us?” Then they threw him out. Jesus heard that they had thrown him out, and finding him, he said, “Do you believe in the Son of God?” He answered, “Who is he, Lord, that I may believe in him?” Jesus said to him, “You have both seen him, and it is he who speaks with you.”He said, “Lord, I believe!” and he worshiped him. Jesus said, “I came into this world for judgment, that those who don’t see may see; and that those who see may become blind.”Those of the Pharisees who were with him heard these things, and said to him, “Are we also blind?” Jesus said to them, “If you were blind, you would have no sin; but now you say, ‘We see.’ Therefore your sin remains.

Now a certain man was sick, Lazarus from Bethany, of the village of Mary and her sister, Martha. It was that Mary who had anointed the Lord with ointment and wiped his feet with her hair, whose brother Lazarus was sick. The sisters therefore sent to him, saying, “Lord, behold, he for whom you have great affection is sick.” But when Jesus heard it, he said, “This sickness is not to death, but for the glory of God, that God’s Son may be glorified by it.”Now Jesus loved Martha, and her sister, and Lazarus. When therefore he heard that he was sick, he stayed two days in the place where he was. Then after this he said to the disciples, “Let’s go into Judea again.”The disciples asked him, “Rabbi, the Jews were just trying to stone you. Are you going there again?” Jesus answered, “Aren’t there twelve hours of daylight? If a man walks in the day, he doesn’t stumble, because he sees the light of this world. But if a man walks in the night, he stumbles, because the light isn’t in him.”He said these things, and after that, he said to them, “Our friend Lazarus has fallen asleep, but I am going so that I may awake him out of sleep.”The disciples therefore said, “Lord, if he has fallen asleep, he will recover.” Now Jesus had spoken of his death, but they thought that he spoke of taking rest in sleep. So Jesus said to them plainly then, “Lazarus is dead. I am glad for your sakes that I was not there, so that you may believe. Nevertheless, let’s go to him.” Thomas therefore, who is called Didymus,said to his fellow disciples, “Let’s also go, that we may die with him.” So when Jesus came, he found that he had been in the tomb four days already. Now Bethany was near Jerusalem, about fifteen stadia away. Many of the Jews had joined the women around Martha and Mary, to console them concerning their brother. Then when Martha heard that Jesus was coming, she went and met him, but Mary stayed in the house. Therefore Martha said to Jesus, “Lord, if you would have been here, my brother wouldn’t have died. Even now I know that whatever you ask of God, God will give you.” Jesus said to her, “Your brother will rise again.”Martha said to him, “I know that he will rise again in the resurrection at the last day.” Jesus said to her, “I am the resurrection and the life. He who believes in me will still live, even if he dies. Whoever lives and believes in me will never die. Do you believe this?”She said to him, “Yes, Lord. I have come to believe that you are the Christ, God’s Son, he who comes into the world.” When she had said this, she went away and called Mary, her sister, secretly, saying, “The Teacher is here and is calling you.” When she heard this, she arose quickly and went to him. Now Jesus had not yet come into the village, but was in the place where Martha met him. Then the Jews who were with her in the house and were consoling her, when they saw Mary, that she rose up quickly and went out, followed her, saying, “She is going to the tomb to weep there.” Therefore when Mary came to where Jesus was and saw him, she fell down at his feet, saying to him, “Lord, if you would have been here, my brother wouldn’t have died.” When Jesus therefore saw her weeping, and the Jews weeping who came with her, he groaned in the spirit and was troubled, and said, “Where have you laid him?” They told him, “Lord, come and see.” Jesus wept. The Jews therefore said, “See how much affection he had for him!” Some of them said, “Couldn’t this man, who opened the eyes of him who was blind, have also kept this man from dying?” Jesus therefore, again groaning in himself, came to the tomb. Now it was a cave, and a stone lay against it. Jesus said, “Take away the stone.” Martha, the sister of him who was dead, said to him, “Lord, by this time there is a stench, for he has been dead four days.” Jesus said to her, “Didn’t I tell you that if you believed, you would see God’s glory?”So they took away the stone from the place where the dead man was lying. Jesus lifted up his eyes and said, “Father, I thank you that you listened to me. I know that you always listen to me, but because of the multitude standing around I said this, that they may believe that you sent me.” When he had said this, he cried with a loud voice, “Lazarus, come out!” He who was dead came out, bound hand and foot with wrappings, and his face was wrapped around with a cloth. Jesus said to them, “Free him, and let him go.”Therefore many of the Jews who came to Mary and saw what Jesus did believed in him. But some of them went away to the Pharisees and told them the things which Jesus had done. The chief priests therefore and the Pharisees gathered a council, and said, “What are we doing? For this man does many signs. If we leave him alone like this, everyone will believe in him, and the Romans will come and take away both our place and our nation.” But a certain one of them, Caiaphas, being high priest that year, said to them, “You know nothing at all, nor do you consider that it is advantageous for us that one man should die for the people, and that the whole nation not perish.” Now he didn’t say this of himself, but being high priest that year, he prophesied that Jesus would die for the nation, and not for the nation only, but that he might also gather together into one the children of God who are scattered abroad. So from that day forward they took counsel that they might put him to death. Jesus therefore walked no more openly among the Jews, but departed from there into the country near the wilderness, to a city called Ephraim. He stayed there with his disciples. Now the Passover of the Jews was at hand. Many went up from the country to Jerusalem before the Passover, to purify themselves. Then they sought for Jesus and spoke with one another as they stood in the temple, “What do you think—that he isn’t coming to the feast at all?” Now the chief priests and the Pharisees had commanded that if anyone knew where he was, he should report it, that they might seize him.

"""A generally useful event scheduler class.

Each instance of this class manages its own queue.
No multi-threading is implied; you are supposed to hack that
yourself, or use a single instance per application.

Each instance is parametrized with two functions, one that is
supposed to return the current time, one that is supposed to
implement a delay.  You can implement real-time scheduling by
substituting time and sleep from built-in module time, or you can
implement simulated time by writing your own functions.  This can
also be used to integrate scheduling with STDWIN events; the delay
function is allowed to modify the queue.  Time can be expressed as
integers or floating point numbers, as long as it is consistent.

Events are specified by tuples (time, priority, action, argument, kwargs).
As in UNIX, lower priority numbers mean higher priority; in this
way the queue can be maintained as a priority queue.  Execution of the
event means calling the action function, passing it the argument
sequence in "argument" (remember that in Python, multiple function
arguments are be packed in a sequence) and keyword parameters in "kwargs".
The action function may be an instance method so it
has another way to reference private data (besides global variables).
"""

import time
import heapq
from collections import namedtuple
from itertools import count
import threading
from time import monotonic as _time

__all__ = ["scheduler"]

Event = namedtuple('Event', 'time, priority, sequence, action, argument, kwargs')
Event.time.__doc__ = ('''Numeric type compatible with the return value of the
timefunc function passed to the constructor.''')
Event.priority.__doc__ = ('''Events scheduled for the same time will be executed
in the order of their priority.''')
Event.sequence.__doc__ = ('''A continually increasing sequence number that
    separates events if time and priority are equal.''')
Event.action.__doc__ = ('''Executing the event means executing
action(*argument, **kwargs)''')
Event.argument.__doc__ = ('''argument is a sequence holding the positional
arguments for the action.''')
Event.kwargs.__doc__ = ('''kwargs is a dictionary holding the keyword
arguments for the action.''')

_sentinel = object()

class scheduler:

    def __init__(self, timefunc=_time, delayfunc=time.sleep):
        """Initialize a new instance, passing the time and delay
        functions"""
        self._queue = []
        self._lock = threading.RLock()
        self.timefunc = timefunc
        self.delayfunc = delayfunc
        self._sequence_generator = count()

    def enterabs(self, time, priority, action, argument=(), kwargs=_sentinel):
        """Enter a new event in the queue at an absolute time.

        Returns an ID for the event which can be used to remove it,
        if necessary.

        """
        if kwargs is _sentinel:
            kwargs = {}

        with self._lock:
            event = Event(time, priority, next(self._sequence_generator),
                          action, argument, kwargs)
            heapq.heappush(self._queue, event)
        return event # The ID

    def enter(self, delay, priority, action, argument=(), kwargs=_sentinel):
        """A variant that specifies the time as a relative time.

        This is actually the more commonly used interface.

        """
        time = self.timefunc() + delay
        return self.enterabs(time, priority, action, argument, kwargs)

    def cancel(self, event):
        """Remove an event from the queue.

        This must be presented the ID as returned by enter().
        If the event is not in the queue, this raises ValueError.

        """
        with self._lock:
            self._queue.remove(event)
            heapq.heapify(self._queue)

    def empty(self):
        """Check whether the queue is empty."""
        with self._lock:
            return not self._queue

    def run(self, blocking=True):
        """Execute events until the queue is empty.
        If blocking is False executes the scheduled events due to
        expire soonest (if any) and then return the deadline of the
        next scheduled call in the scheduler.

        When there is a positive delay until the first event, the
        delay function is called and the event is left in the queue;
        otherwise, the event is removed from the queue and executed
        (its action function is called, passing it the argument).  If
        the delay function returns prematurely, it is simply
        restarted.

        It is legal for both the delay function and the action
        function to modify the queue or to raise an exception;
        exceptions are not caught but the scheduler's state remains
        well-defined so run() may be called again.

        A questionable hack is added to allow other threads to run:
        just after an event is executed, a delay of 0 is executed, to
        avoid monopolizing the CPU when other threads are also
        runnable.

        """
        # localize variable access to minimize overhead
        # and to improve thread safety
        lock = self._lock
        q = self._queue
        delayfunc = self.delayfunc
        timefunc = self.timefunc
        pop = heapq.heappop
        while True:
            with lock:
                if not q:
                    break
                (time, priority, sequence, action,
                 argument, kwargs) = q[0]
                now = timefunc()
                if time > now:
                    delay = True
                else:
                    delay = False
                    pop(q)
            if delay:
                if not blocking:
                    return time - now
                delayfunc(time - now)
            else:
                action(*argument, **kwargs)
                delayfunc(0)   # Let other threads run

    @property
    def queue(self):
        """An ordered list of upcoming events.

        Events are named tuples with fields for:
            time, priority, action, arguments, kwargs

        """
        # Use heapq to sort the queue rather than using 'sorted(self._queue)'.
        # With heapq, two events scheduled at the same time will show in
        # the actual order they would be retrieved.
        with self._lock:
            events = self._queue[:]
        return list(map(heapq.heappop, [events]*len(events)))

"""An object-oriented interface to .netrc files."""

# Module and documentation by Eric S. Raymond, 21 Dec 1998

import os, shlex, stat

__all__ = ["netrc", "NetrcParseError"]


class NetrcParseError(Exception):
    """Exception raised on syntax errors in the .netrc file."""
    def __init__(self, msg, filename=None, lineno=None):
        self.filename = filename
        self.lineno = lineno
        self.msg = msg
        Exception.__init__(self, msg)

    def __str__(self):
        return "%s (%s, line %s)" % (self.msg, self.filename, self.lineno)


class _netrclex:
    def __init__(self, fp):
        self.lineno = 1
        self.instream = fp
        self.whitespace = "\n\t\r "
        self.pushback = []

    def _read_char(self):
        ch = self.instream.read(1)
        if ch == "\n":
            self.lineno += 1
        return ch

    def get_token(self):
        if self.pushback:
            return self.pushback.pop(0)
        token = ""
        fiter = iter(self._read_char, "")
        for ch in fiter:
            if ch in self.whitespace:
                continue
            if ch == '"':
                for ch in fiter:
                    if ch == '"':
                        return token
                    elif ch == "\\":
                        ch = self._read_char()
                    token += ch
            else:
                if ch == "\\":
                    ch = self._read_char()
                token += ch
                for ch in fiter:
                    if ch in self.whitespace:
                        return token
                    elif ch == "\\":
                        ch = self._read_char()
                    token += ch
        return token

    def push_token(self, token):
        self.pushback.append(token)


class netrc:
    def __init__(self, file=None):
        default_netrc = file is None
        if file is None:
            file = os.path.join(os.path.expanduser("~"), ".netrc")
        self.hosts = {}
        self.macros = {}
        try:
            with open(file, encoding="utf-8") as fp:
                self._parse(file, fp, default_netrc)
        except UnicodeDecodeError:
            with open(file, encoding="locale") as fp:
                self._parse(file, fp, default_netrc)

    def _parse(self, file, fp, default_netrc):
        lexer = _netrclex(fp)
        while 1:
            # Look for a machine, default, or macdef top-level keyword
            saved_lineno = lexer.lineno
            toplevel = tt = lexer.get_token()
            if not tt:
                break
            elif tt[0] == '#':
                if lexer.lineno == saved_lineno and len(tt) == 1:
                    lexer.instream.readline()
                continue
            elif tt == 'machine':
                entryname = lexer.get_token()
            elif tt == 'default':
                entryname = 'default'
            elif tt == 'macdef':
                entryname = lexer.get_token()
                self.macros[entryname] = []
                while 1:
                    line = lexer.instream.readline()
                    if not line:
                        raise NetrcParseError(
                            "Macro definition missing null line terminator.",
                            file, lexer.lineno)
                    if line == '\n':
                        # a macro definition finished with consecutive new-line
                        # characters. The first \n is encountered by the
                        # readline() method and this is the second \n.
                        break
                    self.macros[entryname].append(line)
                continue
            else:
                raise NetrcParseError(
                    "bad toplevel token %r" % tt, file, lexer.lineno)

            if not entryname:
                raise NetrcParseError("missing %r name" % tt, file, lexer.lineno)

            # We're looking at start of an entry for a named machine or default.
            login = account = password = ''
            self.hosts[entryname] = {}
            while 1:
                prev_lineno = lexer.lineno
                tt = lexer.get_token()
                if tt.startswith('#'):
                    if lexer.lineno == prev_lineno:
                        lexer.instream.readline()
                    continue
                if tt in {'', 'machine', 'default', 'macdef'}:
                    self.hosts[entryname] = (login, account, password)
                    lexer.push_token(tt)
                    break
                elif tt == 'login' or tt == 'user':
                    login = lexer.get_token()
                elif tt == 'account':
                    account = lexer.get_token()
                elif tt == 'password':
                    password = lexer.get_token()
                else:
                    raise NetrcParseError("bad follower token %r" % tt,
                                          file, lexer.lineno)
            self._security_check(fp, default_netrc, self.hosts[entryname][0])

    def _security_check(self, fp, default_netrc, login):
        if os.name == 'posix' and default_netrc and login != "anonymous":
            prop = os.fstat(fp.fileno())
            if prop.st_uid != os.getuid():
                import pwd
                try:
                    fowner = pwd.getpwuid(prop.st_uid)[0]
                except KeyError:
                    fowner = 'uid %s' % prop.st_uid
                try:
                    user = pwd.getpwuid(os.getuid())[0]
                except KeyError:
                    user = 'uid %s' % os.getuid()
                raise NetrcParseError(
                    (f"~/.netrc file owner ({fowner}, {user}) does not match"
                     " current user"))
            if (prop.st_mode & (stat.S_IRWXG | stat.S_IRWXO)):
                raise NetrcParseError(
                    "~/.netrc access too permissive: access"
                    " permissions must restrict access to only"
                    " the owner")

    def authenticators(self, host):
        """Return a (user, account, password) tuple for given host."""
        if host in self.hosts:
            return self.hosts[host]
        elif 'default' in self.hosts:
            return self.hosts['default']
        else:
            return None

    def __repr__(self):
        """Dump the class data in the format of a .netrc file."""
        rep = ""
        for host in self.hosts.keys():
            attrs = self.hosts[host]
            rep += f"machine {host}\n\tlogin {attrs[0]}\n"
            if attrs[1]:
                rep += f"\taccount {attrs[1]}\n"
            rep += f"\tpassword {attrs[2]}\n"
        for macro in self.macros.keys():
            rep += f"macdef {macro}\n"
            for line in self.macros[macro]:
                rep += line
            rep += "\n"
        return rep

if __name__ == '__main__':
    print(netrc())

"""HMAC (Keyed-Hashing for Message Authentication) module.

Implements the HMAC algorithm as described by RFC 2104.
"""

import warnings as _warnings
try:
    import _hashlib as _hashopenssl
except ImportError:
    _hashopenssl = None
    _functype = None
    from _operator import _compare_digest as compare_digest
else:
    compare_digest = _hashopenssl.compare_digest
    _functype = type(_hashopenssl.openssl_sha256)  # builtin type

import hashlib as _hashlib

trans_5C = bytes((x ^ 0x5C) for x in range(256))
trans_36 = bytes((x ^ 0x36) for x in range(256))

# The size of the digests returned by HMAC depends on the underlying
# hashing module used.  Use digest_size from the instance of HMAC instead.
digest_size = None


class HMAC:
    """RFC 2104 HMAC class.  Also complies with RFC 4231.

    This supports the API for Cryptographic Hash Functions (PEP 247).
    """
    blocksize = 64  # 512-bit HMAC; can be changed in subclasses.

    __slots__ = (
        "_hmac", "_inner", "_outer", "block_size", "digest_size"
    )

    def __init__(self, key, msg=None, digestmod=''):
        """Create a new HMAC object.

        key: bytes or buffer, key for the keyed hash object.
        msg: bytes or buffer, Initial input for the hash or None.
        digestmod: A hash name suitable for hashlib.new(). *OR*
                   A hashlib constructor returning a new hash object. *OR*
                   A module supporting PEP 247.

                   Required as of 3.8, despite its position after the optional
                   msg argument.  Passing it as a keyword argument is
                   recommended, though not required for legacy API reasons.
        """

        if not isinstance(key, (bytes, bytearray)):
            raise TypeError("key: expected bytes or bytearray, but got %r" % type(key).__name__)

        if not digestmod:
            raise TypeError("Missing required parameter 'digestmod'.")

        if _hashopenssl and isinstance(digestmod, (str, _functype)):
            try:
                self._init_hmac(key, msg, digestmod)
            except _hashopenssl.UnsupportedDigestmodError:
                self._init_old(key, msg, digestmod)
        else:
            self._init_old(key, msg, digestmod)

    def _init_hmac(self, key, msg, digestmod):
        self._hmac = _hashopenssl.hmac_new(key, msg, digestmod=digestmod)
        self.digest_size = self._hmac.digest_size
        self.block_size = self._hmac.block_size

    def _init_old(self, key, msg, digestmod):
        if callable(digestmod):
            digest_cons = digestmod
        elif isinstance(digestmod, str):
            digest_cons = lambda d=b'': _hashlib.new(digestmod, d)
        else:
            digest_cons = lambda d=b'': digestmod.new(d)

        self._hmac = None
        self._outer = digest_cons()
        self._inner = digest_cons()
        self.digest_size = self._inner.digest_size

        if hasattr(self._inner, 'block_size'):
            blocksize = self._inner.block_size
            if blocksize < 16:
                _warnings.warn('block_size of %d seems too small; using our '
                               'default of %d.' % (blocksize, self.blocksize),
                               RuntimeWarning, 2)
                blocksize = self.blocksize
        else:
            _warnings.warn('No block_size attribute on given digest object; '
                           'Assuming %d.' % (self.blocksize),
                           RuntimeWarning, 2)
            blocksize = self.blocksize

        if len(key) > blocksize:
            key = digest_cons(key).digest()

        # self.blocksize is the default blocksize. self.block_size is
        # effective block size as well as the public API attribute.
        self.block_size = blocksize

        key = key.ljust(blocksize, b'\0')
        self._outer.update(key.translate(trans_5C))
        self._inner.update(key.translate(trans_36))
        if msg is not None:
            self.update(msg)

    @property
    def name(self):
        if self._hmac:
            return self._hmac.name
        else:
            return f"hmac-{self._inner.name}"

    def update(self, msg):
        """Feed data from msg into this hashing object."""
        inst = self._hmac or self._inner
        inst.update(msg)

    def copy(self):
        """Return a separate copy of this hashing object.

        An update to this copy won't affect the original object.
        """
        # Call __new__ directly to avoid the expensive __init__.
        other = self.__class__.__new__(self.__class__)
        other.digest_size = self.digest_size
        if self._hmac:
            other._hmac = self._hmac.copy()
            other._inner = other._outer = None
        else:
            other._hmac = None
            other._inner = self._inner.copy()
            other._outer = self._outer.copy()
        return other

    def _current(self):
        """Return a hash object for the current state.

        To be used only internally with digest() and hexdigest().
        """
        if self._hmac:
            return self._hmac
        else:
            h = self._outer.copy()
            h.update(self._inner.digest())
            return h

    def digest(self):
        """Return the hash value of this hashing object.

        This returns the hmac value as bytes.  The object is
        not altered in any way by this function; you can continue
        updating the object after calling this function.
        """
        h = self._current()
        return h.digest()

    def hexdigest(self):
        """Like digest(), but returns a string of hexadecimal digits instead.
        """
        h = self._current()
        return h.hexdigest()

def new(key, msg=None, digestmod=''):
    """Create a new hashing object and return it.

    key: bytes or buffer, The starting key for the hash.
    msg: bytes or buffer, Initial input for the hash, or None.
    digestmod: A hash name suitable for hashlib.new(). *OR*
               A hashlib constructor returning a new hash object. *OR*
               A module supporting PEP 247.

               Required as of 3.8, despite its position after the optional
               msg argument.  Passing it as a keyword argument is
               recommended, though not required for legacy API reasons.

    You can now feed arbitrary bytes into the object using its update()
    method, and can ask for the hash value at any time by calling its digest()
    or hexdigest() methods.
    """
    return HMAC(key, msg, digestmod)


def digest(key, msg, digest):
    """Fast inline implementation of HMAC.

    key: bytes or buffer, The key for the keyed hash object.
    msg: bytes or buffer, Input message.
    digest: A hash name suitable for hashlib.new() for best performance. *OR*
            A hashlib constructor returning a new hash object. *OR*
            A module supporting PEP 247.
    """
    if _hashopenssl is not None and isinstance(digest, (str, _functype)):
        try:
            return _hashopenssl.hmac_digest(key, msg, digest)
        except _hashopenssl.UnsupportedDigestmodError:
            pass

    if callable(digest):
        digest_cons = digest
    elif isinstance(digest, str):
        digest_cons = lambda d=b'': _hashlib.new(digest, d)
    else:
        digest_cons = lambda d=b'': digest.new(d)

    inner = digest_cons()
    outer = digest_cons()
    blocksize = getattr(inner, 'block_size', 64)
    if len(key) > blocksize:
        key = digest_cons(key).digest()
    key = key + b'\x00' * (blocksize - len(key))
    inner.update(key.translate(trans_36))
    outer.update(key.translate(trans_5C))
    inner.update(msg)
    outer.update(inner.digest())
    return outer.digest()

"""Conversion functions between RGB and other color systems.

This modules provides two functions for each color system ABC:

  rgb_to_abc(r, g, b) --> a, b, c
  abc_to_rgb(a, b, c) --> r, g, b

All inputs and outputs are triples of floats in the range [0.0...1.0]
(with the exception of I and Q, which covers a slightly larger range).
Inputs outside the valid range may cause exceptions or invalid outputs.

Supported color systems:
RGB: Red, Green, Blue components
YIQ: Luminance, Chrominance (used by composite video signals)
HLS: Hue, Luminance, Saturation
HSV: Hue, Saturation, Value
"""

# References:
# http://en.wikipedia.org/wiki/YIQ
# http://en.wikipedia.org/wiki/HLS_color_space
# http://en.wikipedia.org/wiki/HSV_color_space

__all__ = ["rgb_to_yiq","yiq_to_rgb","rgb_to_hls","hls_to_rgb",
           "rgb_to_hsv","hsv_to_rgb"]

# Some floating point constants

ONE_THIRD = 1.0/3.0
ONE_SIXTH = 1.0/6.0
TWO_THIRD = 2.0/3.0

# YIQ: used by composite video signals (linear combinations of RGB)
# Y: perceived grey level (0.0 == black, 1.0 == white)
# I, Q: color components
#
# There are a great many versions of the constants used in these formulae.
# The ones in this library uses constants from the FCC version of NTSC.

def rgb_to_yiq(r, g, b):
    y = 0.30*r + 0.59*g + 0.11*b
    i = 0.74*(r-y) - 0.27*(b-y)
    q = 0.48*(r-y) + 0.41*(b-y)
    return (y, i, q)

def yiq_to_rgb(y, i, q):
    # r = y + (0.27*q + 0.41*i) / (0.74*0.41 + 0.27*0.48)
    # b = y + (0.74*q - 0.48*i) / (0.74*0.41 + 0.27*0.48)
    # g = y - (0.30*(r-y) + 0.11*(b-y)) / 0.59

    r = y + 0.9468822170900693*i + 0.6235565819861433*q
    g = y - 0.27478764629897834*i - 0.6356910791873801*q
    b = y - 1.1085450346420322*i + 1.7090069284064666*q

    if r < 0.0:
        r = 0.0
    if g < 0.0:
        g = 0.0
    if b < 0.0:
        b = 0.0
    if r > 1.0:
        r = 1.0
    if g > 1.0:
        g = 1.0
    if b > 1.0:
        b = 1.0
    return (r, g, b)


# HLS: Hue, Luminance, Saturation
# H: position in the spectrum
# L: color lightness
# S: color saturation

def rgb_to_hls(r, g, b):
    maxc = max(r, g, b)
    minc = min(r, g, b)
    sumc = (maxc+minc)
    rangec = (maxc-minc)
    l = sumc/2.0
    if minc == maxc:
        return 0.0, l, 0.0
    if l <= 0.5:
        s = rangec / sumc
    else:
        s = rangec / (2.0-sumc)
    rc = (maxc-r) / rangec
    gc = (maxc-g) / rangec
    bc = (maxc-b) / rangec
    if r == maxc:
        h = bc-gc
    elif g == maxc:
        h = 2.0+rc-bc
    else:
        h = 4.0+gc-rc
    h = (h/6.0) % 1.0
    return h, l, s

def hls_to_rgb(h, l, s):
    if s == 0.0:
        return l, l, l
    if l <= 0.5:
        m2 = l * (1.0+s)
    else:
        m2 = l+s-(l*s)
    m1 = 2.0*l - m2
    return (_v(m1, m2, h+ONE_THIRD), _v(m1, m2, h), _v(m1, m2, h-ONE_THIRD))

def _v(m1, m2, hue):
    hue = hue % 1.0
    if hue < ONE_SIXTH:
        return m1 + (m2-m1)*hue*6.0
    if hue < 0.5:
        return m2
    if hue < TWO_THIRD:
        return m1 + (m2-m1)*(TWO_THIRD-hue)*6.0
    return m1


# HSV: Hue, Saturation, Value
# H: position in the spectrum
# S: color saturation ("purity")
# V: color brightness

def rgb_to_hsv(r, g, b):
    maxc = max(r, g, b)
    minc = min(r, g, b)
    rangec = (maxc-minc)
    v = maxc
    if minc == maxc:
        return 0.0, 0.0, v
    s = rangec / maxc
    rc = (maxc-r) / rangec
    gc = (maxc-g) / rangec
    bc = (maxc-b) / rangec
    if r == maxc:
        h = bc-gc
    elif g == maxc:
        h = 2.0+rc-bc
    else:
        h = 4.0+gc-rc
    h = (h/6.0) % 1.0
    return h, s, v

def hsv_to_rgb(h, s, v):
    if s == 0.0:
        return v, v, v
    i = int(h*6.0) # XXX assume int() truncates!
    f = (h*6.0) - i
    p = v*(1.0 - s)
    q = v*(1.0 - s*f)
    t = v*(1.0 - s*(1.0-f))
    i = i%6
    if i == 0:
        return v, t, p
    if i == 1:
        return q, v, p
    if i == 2:
        return p, v, t
    if i == 3:
        return p, q, v
    if i == 4:
        return t, p, v
    if i == 5:
        return v, p, q
    # Cannot get here

EN el principio crió Dios los cielos y la tierra. Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la haz del abismo, y el Espíritu de Dios se movía sobre la haz de las aguas. Y dijo Dios: Sea la luz: y fué la luz. Y vió Dios que la luz era buena: y apartó Dios la luz de las tinieblas. Y llamó Dios á la luz Día, y á las tinieblas llamó Noche: y fué la tarde y la mañana un día. Y dijo Dios: Haya expansión en medio de las aguas, y separe las aguas de las aguas. E hizo Dios la expansión, y apartó las aguas que estaban debajo de la expansión, de las aguas que estaban sobre la expansión: y fué así. Y llamó Dios á la expansión Cielos: y fué la tarde y la mañana el día segundo. Y dijo Dios: Júntense las aguas que están debajo de los cielos en un lugar, y descúbrase la seca: y fué así. Y llamó Dios á la seca Tierra, y á la reunión de las aguas llamó Mares: y vió Dios que era bueno. Y dijo Dios: Produzca la tierra hierba verde, hierba que dé simiente; árbol de fruto que dé fruto según su género, que su simiente esté en él, sobre la tierra: y fué así. Y produjo la tierra hierba verde, hierba que da simiente según su naturaleza, y árbol que da fruto, cuya simiente está en él, según su género: y vió Dios que era bueno. Y fué la tarde y la mañana el día tercero. Y dijo Dios: Sean lumbreras en la expansión de los cielos para apartar el día y la noche: y sean por señales, y para las estaciones, y para días y años; Y sean por lumbreras en la expansión de los cielos para alumbrar sobre la tierra: y fué así. E hizo Dios las dos grandes lumbreras; la lumbrera mayor para que señorease en el día, y la lumbrera menor para que señorease en la noche: hizo también las estrellas. Y púsolas Dios en la expansión de los cielos, para alumbrar sobre la tierra, Y para señorear en el día y en la noche, y para apartar la luz y las tinieblas: y vió Dios que era bueno. Y fué la tarde y la mañana el día cuarto. Y dijo Dios: Produzcan las aguas reptil de ánima viviente, y aves que vuelen sobre la tierra, en la abierta expansión de los cielos. Y crió Dios las grandes ballenas, y toda cosa viva que anda arrastrando, que las aguas produjeron según su género, y toda ave alada según su especie: y vió Dios que era bueno. Y Dios los bendijo diciendo: Fructificad y multiplicad, y henchid las aguas en los mares, y las aves se multipliquen en la tierra. Y fué la tarde y la mañana el día quinto. Y dijo Dios: Produzca la tierra seres vivientes según su género, bestias y serpientes y animales de la tierra según su especie: y fué así. E hizo Dios animales de la tierra según su género, y ganado según su género, y todo animal que anda arrastrando sobre la tierra según su especie: y vió Dios que era bueno. Y dijo Dios: Hagamos al hombre á nuestra imagen, conforme á nuestra semejanza; y señoree en los peces de la mar, y en las aves de los cielos, y en las bestias, y en toda la tierra, y en todo animal que anda arrastrando sobre la tierra. Y crió Dios al hombre á su imagen, á imagen de Dios lo crió; varón y hembra los crió. Y los bendijo Dios; y díjoles Dios: Fructificad y multiplicad, y henchid la tierra, y sojuzgadla, y señoread en los peces de la mar, y en las aves de los cielos, y en todas las bestias que se mueven sobre la tierra. Y dijo Dios: He aquí que os he dado toda hierba que da simiente, que está sobre la haz de toda la tierra; y todo árbol en que hay fruto de árbol que da simiente, seros ha para comer. Y á toda bestia de la tierra, y á todas las aves de los cielos, y á todo lo que se mueve sobre la tierra, en que hay vida, toda hierba verde les será para comer: y fué así. Y vió Dios todo lo que había hecho, y he aquí que era bueno en gran manera. Y fué la tarde y la mañana el día sexto.

Y FUERON acabados los cielos y la tierra, y todo su ornamento. Y acabó Dios en el día séptimo su obra que hizo, y reposó el día séptimo de toda su obra que había hecho. Y bendijo Dios al día séptimo, y santificólo, porque en él reposó de toda su obra que había Dios criado y hecho. Estos son los orígenes de los cielos y de la tierra cuando fueron criados, el día que Jehová Dios hizo la tierra y los cielos, Y toda planta del campo antes que fuese en la tierra, y toda hierba del campo antes que naciese: porque aun no había Jehová Dios hecho llover sobre la tierra, ni había hombre para que labrase la tierra; Mas subía de la tierra un vapor, que regaba toda la faz de la tierra. Formó, pues, Jehová Dios al hombre del polvo de la tierra, y alentó en su nariz soplo de vida; y fué el hombre en alma viviente. Y había Jehová Dios plantado un huerto en Edén al oriente, y puso allí al hombre que había formado. Y había Jehová Dios hecho nacer de la tierra todo árbol delicioso á la vista, y bueno para comer: también el árbol de vida en medio del huerto, y el árbol de ciencia del bien y del mal. Y salía de Edén un río para regar el huerto, y de allí se repartía en cuatro ramales. El nombre del uno era Pisón: éste es el que cerca toda la tierra de Havilah, donde hay oro: Y el oro de aquella tierra es bueno: hay allítambiénbdelio y piedra cornerina. El nombre del segundo río es Gihón: éste es el que rodea toda la tierra de Etiopía. Y el nombre del tercer río es Hiddekel: éste es el que va delante de Asiria. Y el cuarto río es el Eufrates. Tomó, pues, Jehová Dios al hombre, y le puso en el huerto de Edén, para que lo labrara y lo guardase. Y mandó Jehová Dios al hombre, diciendo: De todo árbol del huerto comerás; Mas del árbol de ciencia del bien y del mal no comerás de él; porque el día que de él comieres, morirás. Y dijo Jehová Dios: No es bueno que el hombre esté solo; haréle ayuda idónea para él. Formó, pues, Jehová Dios de la tierra toda bestia del campo, y toda ave de los cielos, y trájolas á Adam, para que viese cómo les había de llamar; y todo lo que Adam llamó á los animales vivientes, ese es su nombre. Y puso Adam nombres á toda bestia y ave de los cielos y á todo animal del campo: mas para Adam no halló ayuda que estuviese idónea para él. Y Jehová Dios hizo caer sueño sobre Adam, y se quedó dormido: entonces tomó una de sus costillas, y cerró la carne en su lugar; Y de la costilla que Jehová Dios tomó del hombre, hizo una mujer, y trájola al hombre. Y dijo Adam: Esto es ahora hueso de mis huesos, y carne de mi carne: ésta será llamada Varona, porque del varón fué tomada. Por tanto, dejará el hombre á su padre y á su madre, y allegarse ha á su mujer, y serán una sola carne. Y estaban ambos desnudos, Adam y su mujer, y no se avergonzaban.

EMPERO la serpiente era astuta, más que todos los animales del campo que Jehová Dios había hecho; la cual dijo á la mujer: ¿Conque Dios os ha dicho: No comáis de todo árbol del huerto? Y la mujer respondió á la serpiente: Del fruto de los árboles del huerto comemos; Mas del fruto del árbol que está en medio del huerto dijo Dios: No comeréis de él, ni le tocaréis, porque no muráis. Entonces la serpiente dijo á la mujer: No moriréis; Mas sabe Dios que el día que comiereis de él, serán abiertos vuestros ojos, y seréis como dioses sabiendo el bien y el mal. Y vió la mujer que el árbol era bueno para comer, y que era agradable á los ojos, y árbol codiciable para alcanzar la sabiduría; y tomó de su fruto, y comió; y dió también á su marido, el cual comió así como ella. Y fueron abiertos los ojos de entrambos, y conocieron que estaban desnudos: entonces cosieron hojas de higuera, y se hicieron delantales. Y oyeron la voz de Jehová Dios que se paseaba en el huerto al aire del día: y escondióse el hombre y su mujer de la presencia de Jehová Dios entre los árboles del huerto. Y llamó Jehová Dios al hombre, y le dijo: ¿Dónde estás tú? Y él respondió: Oí tu voz en el huerto, y tuve miedo, porque estaba desnudo; y escondíme. Y díjole: ¿Quién te enseñó que estabas desnudo? ¿Has comido del árbol de que yo te mandé no comieses? Y el hombre respondió: La mujer que me diste por compañera me dió del árbol, y yo comí. Entonces Jehová Dios dijo á la mujer: ¿Qué es lo que has hecho? Y dijo la mujer: La serpiente me engañó, y comí. Y Jehová Dios dijo á la serpiente: Por cuanto esto hiciste, maldita serás entre todas las bestias y entre todos los animales del campo; sobre tu pecho andarás, y polvo comerás todos los días de tu vida: Y enemistad pondré entre ti y la mujer, y entre tu simiente y la simiente suya; ésta te herirá en la cabeza, y tú le herirás en el calcañar. A la mujer dijo: Multiplicaré en gran manera tus dolores y tus preñeces; con dolor parirás los hijos; y á tu marido será tu deseo, y él se enseñoreará de ti. Y al hombre dijo: Por cuanto obedeciste á la voz de tu mujer, y comiste del árbol de que te mandé diciendo, No comerás de él; maldita será la tierra por amor de ti; con dolor comerás de ella todos los días de tu vida; Espinos y cardos te producirá, y comerás hierba del campo; En el sudor de tu rostro comerás el pan hasta que vuelvas á la tierra; porque de ella fuiste tomado: pues polvo eres, y al polvo serás tornado. Y llamó el hombre el nombre de su mujer, Eva; por cuanto ella era madre de todos los vivientes. Y Jehová Dios hizo al hombre y á su mujer túnicas de pieles, y vistiólos. Y dijo Jehová Dios: He aquí el hombre es como uno de Nos sabiendo el bien y el mal: ahora, pues, porque no alargue su mano, y tome también del árbol de la vida, y coma, y viva para siempre: Y sacólo Jehová del huerto de Edén, para que labrase la tierra de que fué tomado. Echó, pues, fuera al hombre, y puso al oriente del huerto de Edén querubines, y una espada encendida que se revolvía á todos lados, para guardar el camino del árbol de la vida.

Y CONOCIÓ Adam á su mujer Eva, la cual concibió y parió á Caín, y dijo: Adquirido he varón por Jehová. Y después parió á su hermano Abel. Y fué Abel pastor de ovejas, y Caín fué labrador de la tierra. Y aconteció andando el tiempo, que Caín trajo del fruto de la tierra una ofrenda á Jehová. Y Abel trajo también de los primogénitos de sus ovejas, y de su grosura. Y miró Jehová con agrado á Abel y á su ofrenda; Mas no miró propicio á Caín y á la ofrenda suya. Y ensañóse Caín en gran manera, y decayó su semblante. Entonces Jehová dijo á Caín: ¿Por qué te has ensañado, y por qué se ha inmutado tu rostro? Si bien hicieres, ¿no serás ensalzado? y si no hicieres bien, el pecado está á la puerta: con todo esto, á ti será su deseo, y tú te enseñorearás de él. Y habló Caín á su hermano Abel: y aconteció que estando ellos en el campo, Caín se levantó contra su hermano Abel, y le mató. Y Jehová dijo á Caín: ¿Dónde está Abel tu hermano? Y él respondió: No sé; ¿soy yo guarda de mi hermano? Y él le dijo: ¿Qué has hecho? La voz de la sangre de tu hermano clama á mí desde la tierra. Ahora pues, maldito seas tú de la tierra que abrió su boca para recibir la sangre de tu hermano de tu mano: Cuando labrares la tierra, no te volverá á dar su fuerza: errante y extranjero serás en la tierra. Y dijo Caín á Jehová: Grande es mi iniquidad para ser perdonada. He aquí me echas hoy de la faz de la tierra, y de tu presencia me esconderé; y seré errante y extranjero en la tierra; y sucederá que cualquiera que me hallare, me matará. Y respondióle Jehová: Cierto que cualquiera que matare á Caín, siete veces será castigado. Entonces Jehová puso señal en Caín, para que no lo hiriese cualquiera que le hallara. Y salió Caín de delante de Jehová, y habitó en tierra de Nod, al oriente de Edén. Y conoció Caín á su mujer, la cual concibió y parió á Henoch: y edificó una ciudad, y llamó el nombre de la ciudad del nombre de su hijo, Henoch. Y á Henoch nació Irad, é Irad engendró á Mehujael, y Mehujael engendró á Methusael, y Methusael engendró á Lamech. Y tomó para sí Lamech dos mujeres; el nombre de la una fué Ada, y el nombre de la otra Zilla. Y Ada parió á Jabal, el cual fué padre de los que habitan en tiendas, y crían ganados. Y el nombre de su hermano fué Jubal, el cual fué padre de todos los que manejan arpa y órgano. Y Zilla también parió á Tubal-Caín, acicalador de toda obra de metal y de hierro: y la hermana de Tubal-Caín fué Naama. Y dijo Lamech á sus mujeres: Ada y Zilla, oid mi voz; mujeres de Lamech, escuchad mi dicho: que varón mataré por mi herida, y mancebo por mi golpe: Si siete veces será vengado Caín, Lamech en verdad setenta veces siete lo será. Y conoció de nuevo Adam á su mujer, la cual parió un hijo, y llamó su nombre Seth: Porque Dios (dijo ella) me ha sustituído otra simiente en lugar de Abel, á quien mató Caín. Y á Seth también le nació un hijo, y llamó su nombre Enós. Entonces los hombres comenzaron á llamarse del nombre de Jehová.

Y HABITÓ Jacob en la tierra donde peregrinó su padre, en la tierra de Canaán. Estas fueron las generaciones de Jacob. José, siendo de edad de diez y siete años apacentaba las ovejas con sus hermanos; y el joven estaba con los hijos de Bilha, y con los hijos de Zilpa, mujeres de su padre: y noticiaba José á su padre la mala fama de ellos. Y amaba Israel á José más que á todos sus hijos, porque le había tenido en su vejez: y le hizo una ropa de diversos colores. Y viendo sus hermanos que su padre lo amaba más que á todos sus hermanos, aborrecíanle, y no le podían hablar pacíficamente. Y soñó José un sueño, y contólo á sus hermanos; y ellos vinieron á aborrecerle más todavía. Y él les dijo: Oíd ahora este sueño que he soñado: He aquí que atábamos manojos en medio del campo, y he aquí que mi manojo se levantaba, y estaba derecho, y que vuestros manojos estaban alrededor, y se inclinaban al mío. Y respondiéronle sus hermanos: ¿Has de reinar tú sobre nosotros, ó te has de enseñorear sobre nosotros? Y le aborrecieron aún más á causa de sus sueños y de sus palabras. Y soñó aún otro sueño, y contólo á sus hermanos, diciendo: He aquí que he soñado otro sueño, y he aquí que el sol y la luna y once estrellas se inclinaban á mí. Y contólo á su padre y á sus hermanos: y su padre le reprendió, y díjole: ¿Qué sueño es este que soñaste? ¿Hemos de venir yo y tu madre, y tus hermanos, á inclinarnos á ti á tierra? Y sus hermanos le tenían envidia, mas su padre paraba la consideración en ello. Y fueron sus hermanos á apacentar las ovejas de su padre en Sichêm. Y dijo Israel á José: Tus hermanos apacientan las ovejas en Sichêm: ven, y te enviaré á ellos. Y él respondió: Heme aquí. Y él le dijo: Ve ahora, mira cómo están tus hermanos y cómo están las ovejas, y tráeme la respuesta. Y enviólo del valle de Hebrón, y llegó á Sichêm. Y hallólo un hombre, andando él perdido por el campo, y preguntóle aquel hombre, diciendo: ¿Qué buscas? Y él respondió: Busco á mis hermanos: ruégote que me muestres dónde pastan. Y aquel hombre respondió: Ya se han ido de aquí; y yo les oí decir: Vamos á Dothán. Entonces José fué tras de sus hermanos, y hallólos en Dothán. Y como ellos lo vieron de lejos, antes que cerca de ellos llegara, proyectaron contra él para matarle. Y dijeron el uno al otro: He aquí viene el soñador; Ahora pues, venid, y matémoslo y echémosle en una cisterna, y diremos: Alguna mala bestia le devoró: y veremos qué serán sus sueños. Y como Rubén oyó esto, librólo de sus manos, y dijo: No lo matemos. Y díjoles Rubén: No derraméis sangre; echadlo en esta cisterna que está en el desierto, y no pongáis mano en él; por librarlo así de sus manos, para hacerlo volver á su padre. Y sucedió que, cuando llegó José á sus hermanos, ellos hicieron desnudar á José su ropa, la ropa de colores que tenía sobre sí; Y tomáronlo, y echáronle en la cisterna; mas la cisterna estaba vacía, no había en ella agua. Y sentáronse á comer pan: y alzando los ojos miraron, y he aquí una compañía de Ismaelitas que venía de Galaad, y sus camellos traían aromas y bálsamo y mirra, é iban á llevarlo á Egipto. Entonces Judá dijo á sus hermanos: ¿Qué provecho el que matemos á nuestro hermano y encubramos su muerte? Venid, y vendámosle á los Ismaelitas, y no sea nuestra mano sobre él; que nuestro hermano es nuestra carne. Y sus hermanos acordaron con él. Y como pasaban los Midianitas mercaderes, sacaron ellos á José de la cisterna, y trajéronle arriba, y le vendieron á los Ismaelitas por veinte piezas de plata. Y llevaron á José á Egipto. Y Rubén volvió á la cisterna, y no halló á José dentro, y rasgó sus vestidos. Y tornó á sus hermanos, y dijo: El mozo no parece; y yo, ¿adónde iré yo? Entonces tomaron ellos la ropa de José, y degollaron un cabrito de las cabras, y tiñeron la ropa con la sangre; Y enviaron la ropa de colores y trajéronla á su padre, y dijeron: Esta hemos hallado, reconoce ahora si es ó no la ropa de tu hijo. Y él la conoció, y dijo: La ropa de mi hijo es; alguna mala bestia le devoró; José ha sido despedazado. Entonces Jacob rasgó sus vestidos, y puso saco sobre sus lomos, y enlutóse por su hijo muchos días. Y levantáronse todos sus hijos y todas sus hijas para consolarlo; mas él no quiso tomar consolación, y dijo: Porque yo tengo de descender á mi hijo enlutado hasta la sepultura. Y llorólo su padre. Y los Midianitas lo vendieron en Egipto á Potiphar, eunuco de Faraón, capitán de los de la guardia.

--delta[=OPTS]      Filtre delta; OPT (valors vàlids; predeterminat):
                        dist=Núm.   entre bytes que es resten de
                                    l'altre (1-256; 1)
--lzma1[=OPTS]     LZMA1 o LZMA2; OPTS és una llista separada per comes de
   --lzma2[=OPTS]     zero o més opcions de les següents (valors vàlids;
                      predeterminat):
                        preset=PRE restableix les opcions a un predefinit
                                   (0-9[e])
                        dict=NUM   mida del diccionari (4KiB - 1536MiB; 8MiB)
                        lc=NUM     nombre de bits de context literal (0-4; 3)
                        lp=NUM     nombre de bits de posició literal (0-4; 0)
                        pb=NUM     nombre de bits de posició (0-4; 2)
                        mode=MODE  mode de compressió (ràpid, normal; normal)
                        nice=NUM   longitud de coincidència (2-273; 64)
                        mf=NAME    cercador de coincidències (hc3, hc4, bt2,
                                   bt3, bt4; bt4)
                        depth=NUM  profunditat màxima de cerca; 0=automàtic
                                   (predeterminat)
--x86[=OPTS]        filtre BCJ x86 (32-bit i 64-bit)
  --arm[=OPTS]        filtre BCJ ARM
  --armthumb[=OPTS]   filtre BCJ ARM-Thumb
  --arm64[=OPTS]      filtre ARM64 BCJ
  --powerpc[=OPTS]    filtre BCJ PowerPC (només endian gran)
  --ia64[=OPTS]       filtre IA-64 (Itanium) BCJ
  --sparc[=OPTS]      filtre BCJ SPARC
                      OPTS vàlids per a tots els filtres BCJ:
                        start=Núm.  decalatge d'inici per a les conversions
                                    (per defecte=0)

--delta[=VOLBY]       Filtr Delta; platné VOLBY (platné hodnoty; výchozí):
                         dist=POČ   vzdálenost mezi bajty, které jsou odečítány
                                    jeden od druhého (1 – 256; 1)
--lzma1[=VOLBY]       LZMA1 nebo LZMA2; VOLBY je čárkou oddělovaný seznam žádné
 --lzma2[=VOLBY]       nebo více následujících voleb (platné hodnoty; výchozí):
                         preset=PŘE změnit volby na PŘEdnastavené (0 – 9[e])
                         dict=POČ   velikost slovníku (4 KiB – 1536 MiB; 8 MiB)
                         lc=POČ     počet kontextových bitů literálu (0 – 4; 3)
                         lp=POČ     počet pozičních bitů literálu (0 – 4; 0)
                         pb=POČ     počet pozičních bitů (0 – 4; 2)
                         mode=REŽIM režim komprimace (fast, normal; normal)
                         nice=NUM   příznivá délka shody (2 – 273; 64)
                         mf=NÁZEV   hledání shod (hc3, hc4, bt2, bt3, bt4; bt4)
                         depth=POČ  maximální hloubka prohledávání;
                                    0 = automaticky (výchozí)
Základní přepínače pro formát souboru a komprimaci:
Vlastní omezující filtr pro komprimaci (alternativa k použití přednastavených):
Pokud SOUBOR není zadán nebo pokud je -, bude se číst ze standardního vstupu.

Med ingen FIL, eller når FIL er -, læs standardind.
--robot         brug beskeder der kan fortolkes maskinelt (nyttigt
                      for skripter)
-V, --version       vis versionsnummer og afslut
-h, --help          vis den korte hjælpetekst (viser kun grundlæggende
                      tilvalg)
  -H, --long-help     vis den lange hjælpetekst og afslut
-h, --help          vis den korte hjælpetekst og afslut
  -H, --long-help     vis den lange hjælpetekst (viser også de avancerede
                      tilvalg)
--list understøtter ikke læsning fra standardind
0 kan kun bruges som det sidste element i --block-list
Komprimerede data kan ikke læses fra en terminal
Komprimerede data kan ikke skrives til en terminal
Komprimering og dekomprimering med --robot er endnu ikke understøttet.
Komprimeringsunderstøttelse blev deaktiveret på byggetidspunktet
Dekomprimeringsunderstøttelse blev deaktiveret på byggetidspunktet
Obligatoriske argumenter til lange tilvalg er også obligatoriske for korte
tilvalg.
Begræsningen for brug af hukommelse er for lav for den givne filteropsætning.
Begrænsning på brug af hukommelse er nået
Ingen integritetkontrol; verificerer ikke filintegritet
Kun en fil kan angives med »--files« eller »--files0«.
Skifter til enkelt trådet tilstand på grund af --flush-timeout
DETTE ER EN UDVIKLINGSVERSION - BRUG IKKE I PRODUKTION.
Formatet .lzma understøtter kun LZMA1-filteret

--delta[=OPTIONEN]    Delta-Filter; zulässige Optionen (gültige Werte;
                        Voreinstellung):
                          dist=NUM  Abstand zwischen den Bytes, die voneinander
                                    subtrahiert werden (1-256; 1)
--lzma1[=OPTIONEN]    LZMA1 oder LZMA2; OPTIONEN ist eine durch Kommata
  --lzma2[=OPTIONEN]    getrennte Liste bestehend aus den folgenden Optionen
                        (zulässige Werte; Voreinstellung):
                          preset=ZAHL Optionen auf Voreinstellungsstufe
                                        zurücksetzen (0-9[e])
                          dict=ZAHL   Wörterbuchgröße (4 KiB - 1536 MiB; 8 MiB)
                          lc=ZAHL     Anzahl der Literal-Kontext-Bits (0-4; 3)
                          lp=ZAHL     Anzahl der Literal-Positions-Bits (0-4; 0)
                          pb=ZAHL     Anzahl der Positions-Bits (0-4; 2)
                          mode=MODUS Kompressionsmodus (fast, normal; normal)
                          nice=ZAHL  Nice-Länge eines Treffers (2-273; 64)
                          mf=NAME    Algorithmus zum Auffinden von
                                     Übereinstimmungen (hc3, hc4, bt2, bt3, bt4;
                                     bt4)
                          depth=ZAHL Maximale Suchtiefe; 0=automatisch
                                     (Voreinstellung)
--x86[=OPTIONEN]      x86 BCJ-Filter (32-bit und 64-bit)
  --arm[=OPTIONEN]      ARM-BCJ-Filter
  --armthumb[=OPTIONEN] ARM-Thumb-BCJ-Filter
  --arm64[=OPTIONEN]    ARM64-BCJ-Filter
  --powerpc[=OPTIONEN]  PowerPC-BCJ-Filter (nur Big Endian)
  --ia64[=OPTIONEN]     IA64-(Itanium-)BCJ-Filter
  --sparc[=OPTIONEN]    SPARC-BCJ-Filter
                        Zulässige Optionen für alle BCJ-Filter:
                          start=ZAHL Startversatz für Konversion
                          (Voreinstellung=0)

--delta[=ELEKTOJ]   Delta filtriloj; validaj valoroj:
                        dist=NOMBRO  distanco inter bajtoj subtrahataj de unu
                                     la alia (1-256; 1)
--lzma1[=ELEKTOJ]   LZMA1 aŭ LZMA2; OPTS estas listo de nul aŭ pliaj
  --lzma2[=ELEKTOJ]   de la jenaj elektoj (validaj valoroj; apriora),
                      apartigataj de komoj:
                        preset=ANT restarigi agordon al antaŭagordaĵon (0-9[e])
                        dict=NOM   vortara grando (4 kilobajtoj - 1536
                                   megabajtoj; 8 megabajtoj)
                        lc=NOM     nombro da laŭvortaj kuntekstaj bitoj
                                   (0-4; 3)
                        lp=NOM     nombro da laŭvortaj poziciaj bitoj (0-4; 0)
                        pb=NOM     nombro da poziciaj bitoj (0-4; 2)
                        mode=REĜI  kunprema reĝimo (fast, normal; normal)
                        nice=NOM   bona longo de kongruaĵo (2-273; 64)
                        mf=NOMO    kongruaĵa trovilo (hc3, hc4, bt2, bt3, bt4;
                                   bt4)
                        depth=NUM  maksimuma profundo de serĉo; 0=aŭtomata
                                   (apriore)
--x86[=ELEKTOJ]     x86-BCJ-filtrilo (32-bita and 64-bita)
  --arm[=ELEKTOJ]     ARM-BCJ-filtrilo
  --armthumb[=ELEKTOJ]
                      ARM-Thumb-BCJ-filtrilo
  --arm64[=OPTS]      ARM64-BCJ-filtrilo
  --powerpc[=ELEKTOJ] PowerPC-BCJ-filtrilo (nur pezkomenca)
  --ia64[=ELEKTOJ]    IA-64 (Itanium)-BCJ-filtrilo
  --sparc[=ELEKTOJ]   SPARC-BCJ-filtrilo
                      Validaj ELEKTOJ por ĉiuj BCJ-filters:
                        start=NOMBRO  komenca deŝovo por konvertoj (apriore 0)

--delta[=OPCIONES]    Filtro delta; OPCIONES (valores válidos; por defecto):
                          dist=NÚM   distancia entre bytes que se restan
                                     uno del otro (1-256; 1)
--lzma1[=OPCIONES]  LZMA1 o LZMA2; OPCIONES es una lista separada por comas
  --lzma2[=OPCIONES]  de cero o más opciones (valores válidos; por defecto)
                        preset=PRE inicia opciones con un valor predefinido
                                     (0-9[e])
                        dict=NÚM   tamaño de diccionario (4KiB - 1536MiB; 8MiB)
                        lc=NÚM     número de bits de contexto literal (0-4; 3)
                        lp=NÚM     número de bits de posición literal (0-4; 0)
                        pb=NÚM     número de bits de posición (0-4; 2)
                        mode=MODO  modo de compresión (fast, normal; normal)
                        nice=NÚM   longitud para una coincidencia (2-273; 64)
                        mf=NOMBRE  buscador de coincidencias
                                     (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NÚM  profundidad máxima de búsqueda;
                                      0=automática (por defecto)
--x86[=OPCIONES]      filtro BCJ para x86 (32-bit y 64-bit)
  --arm[=OPCIONES]      filtro BCJ para ARM
  --armthumb[=OPCIONES] filtro BCJ para ARM-Thumb
  --arm64[=OPCIONES]    filtro BCJ para ARM64
  --powerpc[=OPCIONES]  filtro BCJ para PowerPC (solo big endian)
  --ia64[=OPCIONES]     filtro BCJ para IA-64 (Itanium)
  --sparc[=OPCIONES]    filtro BCJ para SPARC
                        OPCIONES válidas para todos los filtros BCJ:
                          start=NÚM  inicio de desplazamiento para
                          conversiones (por defecto=0)

--delta[=ASET]      Muutossuodin; kelvolliset ASETukset (kelv. arvot; oletus):
                        dist=LUKU  toisistaan vähennettävien tavujen
                                   välinen etäisyys (1–256; 1)
--lzma1[=ASET]      LZMA1 tai LZMA2; ASETukset ovat yksi tai useampi
  --lzma2[=ASET]      seuraavista asetuksista pilkuilla eroteltuina
                      (kelvolliset arvot; oletus):
                        preset=ESI palauta asetukset esiasetukseen (0-9[e])
                        dict=LUKU  sanaston koko (4KiB – 1536MiB; 8MiB)
                        lc=LUKU    literal context -bittien määrä (0-4; 3)
                        lp=LUKU    literal position -bittien määrä (0-4; 0)
                        pb=LUKU    position -bittien määrä (0-4; 2)
                        mode=TILA  tiivistystila (fast, normal; normal)
                        nice=LUKU  täsmäävyyden nice-pituus (2–273; 64)
                        mf=NIMI    täsmäävyydenetsin (hc3, hc4, bt2, bt3,
                                   bt4; bt4)
                        depth=LUKU enimmäishakusyvyys; 0=automaattinen (oletus)
--x86[=ASET]        x86:n BCJ-suodin (32- ja 64-bittiset)
  --arm[=ASET]        ARMin BCJ-suodin
  --armthumb[=ASET]   ARM-Thumbin BCJ-suodin
  --arm64[=ASET]      ARM64:n BCJ-suodin
  --powerpc[=ASET]    PowerPC:n BCJ-suodin (vain big endian)
  --ia64[=ASET]       IA-64:n (Itanium) BCJ-suodin
  --sparc[=ASET]      SPARCin BCJ-suodin
                      Kelvolliset ASETukset kaikille BCJ-suotimille:
                        start=LUKU muunnoksien aloitussiirtymä (oletus=0)

--delta[=OPTS]      Filtre delta ; OPTS valides (vals. valides ; par défaut) :
                        dist=NUM   distance entre les octets soustraits les
                                   uns aux autres (1-256 ; 1)
--lzma1[=OPTS]      LZMA1/2 ; OPTS est une liste d'options parmi les suivantes
  --lzma2[=OPTS]      (entre parenthèses : valeurs valides et par défaut) :
                        preset=PRE remettre les options à un préréglage (0-9[e])
                        dict=NUM   taille dictionnaire (4KiB - 1536MiB ; 8MiB)
                        lc=NUM     nombre de 'literal context bits' (0-4 ; 3)
                        lp=NUM     nombre de 'literal position bits' (0-4 ; 0)
                        pb=NUM     nombre de 'position bits' (0-4 ; 2)
                        mode=MODE  mode de compression (fast, normal ; normal)
                        nice=NUM   nice length of a match (2-273; 64)
                        mf=NAME    'match finder' (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NUM  profondeur de recherche maximale ;
                                      0=automatique (par défaut)
Options basiques de format de fichier et de compression :
Chaîne de filtres de compression personnalisée (en lieu des préréglages) :
Sans FILE ou quand FILE est -, lire l'entrée standard.
--block-list=TAILLES
                      débuter des blocs XZ après les TAILLES octets de données
                      spécifiées avec des virgules pour séparateur

--delta[=OPCIJE]    Delta filtar; valjane OPCIJE
                        (valjane vrijednosti; zadano):
                        dist=BROJ  razmak između bajtova koji se oduzimaju
                                   jedan od drugog (1-256; 1)
--lzma1[=OPCIJE]    LZMA1 ili LZMA2; OPCIJE je popis
  --lzma2[=OPCIJE]    nula ili više od sljedećih opcija zarezom odijeljenih;
                      (valjane vrijednosti; zadano):
                        preset=PRE vrati opcije na pretpostavke (0-9[e])
                        dict=BROJ  veličina rječnika (4KiB - 1536MiB; 8MiB)
                        lc=BROJ    broj bitova doslovnog konteksta (0-4; 3)
                        lp=BROJ    broj bitova doslovne pozicije (0-4; 0)
                        pb=BROJ    broj pozicionih bitova (0-4; 2)
                        mode=NAČIN način kompresije (fast, normal; normal)
                        nice=BROJ  nice-dužina za podudaranje (2-273; 64)
                        mf=IME     podudarač (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=BROJ max. dubina traženja; 0=automatski (default)
--x86[=OPCIJE]      x86 BCJ filtar (32-bit i 64-bit)
  --arm[=OPCIJE]      ARM BCJ filtar
  --armthumb[=OPCIJE] ARM-Thumb BCJ filtar
  --arm64[=OPCIJE]    ARM64 BCJ filtar
  --powerpc[=OPCIJE]  PowerPC BCJ filtar (samo veliki endian)
  --ia64[=OPCIJE]     IA-64 (Itanium) BCJ filtar
  --sparc[=OPCIJE]    SPARC BCJ filtar
                      Valjane OPCIJE za BCJ filtre:
                        start=BROJ  početni offset za konverzije (zadano=0)

--delta[=OPTS]      Delta szűrő; érvényes KAPCSOLÓK
                      (érvényes értékek; alapértelmezett default):
                        dist=SZÁM  az egymásból kivont bájtok közti
                                   távolság (1-256; 1)
--lzma1[=KAPCS]     LZMA1 vagy LZMA2; a KAPCS nulla vagy több vesszővel
  --lzma2[=KAPCS]     elválasztott kapcsoló az alábbiak közül
                      (érvényes érték; alapértelmezett):
                        preset=ELŐ visszaállítás egy előbeállításra (0-9[e])
                        dict=SZÁM  szótárméret (4KiB - 1536MiB; 8MiB)
                        lc=SZÁM    literál környezeti bitek száma (0-4; 3)
                        lp=SZÁM    literál pozícióbitek száma (0-4; 0)
                        pb=SZÁM    pozícióbitek száma (0-4; 2)
                        mode=MÓD   tömörítési mód (fast, normal; normal)
                        nice=SZÁM  az egyezés „nice” hossza (2-273; 64)
                        mf=NÉV     egyezéskereső (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=SZÁM legnagyobb keresési mélység; 0=automatikus
                                   (alapértelmezett)
--x86[=KAPCS]       x86 BCJ szűrő (32 bites és 64 bites)
  --arm[=KAPCS]       ARM BCJ szűrő
  --armthumb[=KAPCS]  ARM-Thumb BCJ szűrő
  --arm64[=KAPCS]     ARM64 BCJ szűrő
  --powerpc[=KAPCS]   PowerPC BCJ szűrő (csak big endian esetén)
  --ia64[=KAPCS]      IA-64 (Itanium) BCJ szűrő
  --sparc[=KAPCS]     SPARC BCJ szűrő
                      Érvényes KAPCS az összes BCJ szűrőhöz:
                        start=SZÁM kezdési eltolás az átalakításokhoz
                        (alapértelmezett=0)

--delta[=OPZ]      Filtro Delta; OPZ valide (valori validi; predefinito):
                      dist=NUM   Distanza tra byte sottratti
                                 gli uni dagli altri (1-256; 1)
--lzma1[=OPZ]      LZMA1 o LZMA2; OPZ è un elenco separato da virgole di zero
  --lzma2[=OPZ]      o più delle seguenti opzioni (valori validi; predefinito):
                        preset=NUM Reimposta le opzioni al preset NUM (0-9[e])
                        dict=NUM   Dimensione del dizionario
                                   (4KiB - 1536MiB; 8MiB)
                        lc=NUM     Numero di bit letterali di contesto (0-4; 3)
                        lp=NUM     Numero di bit letterali di posizione (0-4; 0)
                        pb=NUM     Numero di bit di posizione (0-4; 2)
                        mode=MODE  Modalità di compressione
                                   (fast, normal; normal)
                        nice=NUM   Lunghezza valida per una corrispondenza
                                   (2-273; 64)
                        mf=NAME    Strumento per cercare corrispondenze
                                   (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NUM  Profondità massima di ricerca; 0=automatica
                                   (predefinito)
Formato file di base e opzioni di compressione:
Catena di filtri personalizzati per la compressione (alternative per
 l'utilizzo di preset):

--delta[=<옵션>]    델타 필터. 유효한 <옵션> (유효값, 기본값):
                        dist=<숫자>   각 바이트 값의 차이 값
                                     (1-256, 1)
--lzma1[=<옵션>]     LZMA1 또는 LZMA2. <옵션>은 하나도 지정하지 않거나,
  --lzma2[=<옵션>]     다음 옵션 중 한개 이상을 쉼표로 구분하여 지정합니다
                       (유효값, 기본값):
                        preset=<프리셋> 옵션을 <프리셋>값으로 초기화(0-9[e])
                        dict=<숫자>     딕셔너리 크기(4KiB - 1536MiB, 8MiB)
                        lc=<숫자>       리터럴 컨텍스트 비트 수(0-4, 3)
                        lp=<숫자>       리터럴 위치 비트 수(0-4, 0)
                        pb=<숫자>       위치 비트 갯수(0-4, 2)
                        mode=<모드>     압축 모드 fast 또는 normal, normal)
                        nice=<숫자>     nice 일치 길이 값(2-273, 64)
                        mf=<이름>       일치 탐색기(hc3, hc4, bt2, bt3, bt4
                                        중 하나. bt4)
                        depth=<숫자>    최대 검색 깊이. 0=자동(기본값)
--x86[=<옵션>]      x86 BCJ 필터(32-bit, 64-bit)
  --arm[=<옵션>]      ARM BCJ 필터
  --armthumb[=<옵션>] ARM-Thumb BCJ 필터
  --arm64[=<옵션>]    ARM64 BCJ 필터
  --powerpc[=<옵션>]  PowerPC BCJ 필터 (빅 엔디언 전용)
  --ia64[=<옵션>]     IA-64 (아이태니엄) BCJ 필터
  --sparc[=<옵션>]    SPARC BCJ 필터
                     모든 BCJ 필터의 유효한 <옵션>:
                        start=<숫자>  변환 시작 오프셋(기본값=0)

--delta[=OPCJE]     Filtr delta; poprawne OPCJE (poprawne wart.; domyślne):
                        dist=ILE   odległość między bajtami odejmowanymi od
                                   siebie (1-256; 1)
--lzma1[=OPCJE]     LZMA1 lub LZMA2; OPCJE to oddzielona przecinkami lista
  --lzma2[=OPCJE]     zera lub więcej następujących opcji (w nawiasach wartości
                      poprawne; domyślne):
                        preset=PRE ustawienie opcji na predefiniowane (0-9[e])
                        dict=ILE   rozmiar słownika (4KiB - 1536MiB; 8MiB)
                        lc=ILE     liczba bitów kontekstu literału (0-4; 3)
                        lp=ILE     liczba bitów pozycji literału (0-4; 0)
                        pp=ILE     liczba bitów pozycji (0-4; 2)
                        mode=TRYB  tryb kompresji (fast, normal; normal)
                        nice=ILE   długość dopasowania (2-273; 64)
                        mf=NAZWA   dopasowywacz (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=ILE  maks. głębokość szukania; 0=auto (domyślne)
--x86[=OPCJE]       Filtr BCJ x86 (32-bitowy lub 64-bitowy)
  --arm[=OPCJE]       Filtr BCJ ARM
  --armthumb[=OPCJE]  Filtr BCJ ARM-Thumb
  --arm64[=OPCJE]     Filtr BCJ ARM64
  --powerpc[=OPCJE]   Filtr BCJ PowerPC (tylko big-endian)
  --ia64[=OPCJE]      Filtr BCJ IA-64 (Itanium)
  --sparc[=OPCJE]     Filtr BCJ SPARC
                      Poprawne OPCJE dla wszystkich filtrów BCJ:
                        start=ILE  offset początku konwersji (domyślnie=0)

--delta[=OPÇÕES]    filtro delta; OPÇÕES válidas (valores válidos,
                      predefinição):
                        dist=NÚM   distância entre bytes a serem subtraídos
                                   de cada um (1-256; 1)
--lzma1[=OPÇÕES]    LZMA1 ou LZMA2; OPÇÕES é uma lista separada por vírgulas
                      de zero ou mais das opções abaixo (valores válidos,
  --lzma2[=OPÇÕES]    predefinição):
                        preset=PRE repõe as opções para predefinição (0-9[e])
                        dict=NÚM   tamanho do dicionário (4KiB - 1536MiB; 8MiB)
                        lc=NÚM     número de bits de contexto literal (0-4; 3)
                        lp=NÚM     número de bits de posição literal (0-4; 0)
                        pb=NÚM     número de bits de posição (0-4; 2)
                        mode=MODO  modo de compressão (fast, normal; normal)
                        nice=NÚM   tamanho agradável de correspondência (2-273;
                                   64)
                        mf=NOME    localizador de correspondência (hc3, hc4,
                                   bt2, bt3, bt4; bt4)
                        depth=NUM  máximo de profundidade de pesquisa;
                                   0=automatic (predefinição)
Opções básicas de formato e compressão de ficheiro:
Cadeia de filtros personalizada para compressão (alternativa às predefinições):

--delta[=OPÇÕES]    filtro delta; OPÇÕES válidas (valores válidos, padrão):
                        dist=NÚM   distância entre bytes sendo subtraído
                                   de cada um (1-256; 1)
--lzma1[=OPÇÕES]      LZMA1/LZMA2; OPÇÕES é uma lista separada por vírgula de
--lzma2[=OPÇÕES]      zero ou + das opções abaixo (valores válidos, padrão):
                        preset=PRE redefine opções para predefinição (0-9[e])
                        dict=NÚM   tam. de dicionário (4KiB - 1536MiB; 8MiB)
                        lc=NÚM     núm. de bits de contexto literal (0-4; 3)
                        lp=NÚM     núm. de bits de posição literal (0-4; 0)
                        pb=NÚM     núm. de bits de posição (0-4; 2)
                        mode=MODO  modo de compressão (fast, normal; normal)
                        nice=NÚM   tam. de nice de correspondência (2-273; 64)
                        mf=NOME    localizador de correspondência
                                   (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NUM  máximo de profundidade de pesquisa;
                                   0=automatic (padrão)
--x86[=OPÇÕES]      filtro BCJ x86 (32 bits e 64 bits)
  --arm[=OPÇÕES]      filtro BCJ ARM
  --armthumb[=OPÇÕES] filtro BCJ ARM-Thumb
  --arm64[=OPÇÕES]    filtro BCJ ARM64
  --powerpc[=OPÇÕES]  filtro BCJ PowerPC (big endian apenas)
  --ia64[=OPÇÕES]     filtro BCJ IA-64 (Itanium)
  --sparc[=OPÇÕES]    filtro BCJ SPARC
                      OPÇÕES válidas para todos os filtros BCJ:
                        start=NUM  deslocamento inicial para conversões
                                   (padrão=0)

--delta[=OPȚIUNI]   OPȚIUNI valide (valori valide; valoarea implicită):
                        dist=NUM   distanța dintre octeți fiind dedusă
                                   scăzând un octet din celălalt (1-256; 1)
--lzma1[=OPȚIUNI]   LZMA1 sau LZMA2; OPȚIUNI este o listă separată prin
  --lzma2[=OPȚIUNI]   virgulă, de niciuna sau de mai multe dintre următoarele
                      opțiuni (între paranteze: valorile valide, și cele
                      implicite):
                        preset=PRE resetează opțiunile la o presetare (0-9[e])
                        dict=NUM   dimensiunea dicționarului (4Ko - 1536Mo;
                                   8Mo)
                        lc=NUM     numărul de biți de context literal (0-4; 3)
                        lp=NUM     numărul de biți de poziție literală (0-4; 0)
                        pb=NUM     numărul de biți de poziție (0-4; 2)
                        mode=MOD   modul de comprimare (fast, normal; normal)
                        nice=NUM   lungimea „drăguță” a unei potriviri (2-273;
                                   64)
                        mf=NUME    găsitor de potriviri (hc3, hc4, bt2, bt3,
                                   bt4; bt4)
                        depth=NUM  adâncimea maximă de căutare; 0=automată
                                   (valoarea implicită)
--x86[=OPȚIUNI]     filtru BCJ x86 (32-biți și 64-biți)
  --arm[=OPȚIUNI]     filtru BCJ ARM
  --armthumb[=OPȚ]    filtru BCJ ARM-Thumb
  --arm64[=OPȚIUNI]   filtru ARM64 BCJ
  --powerpc[=OPȚIUNI] filtru BCJ PowerPC (numai big endian)
  --ia64[=OPȚIUNI]    filtru BCJ IA-64 (Itanium)
  --sparc[=OPȚIUNI]   filtru BCJ SPARC
                      OPȚIUNI valide pentru toate filtrele BCJ:
                      start=NUM poziția de pornire a conversiilor (implicit=0)

--delta[=ОПЦИЈЕ]          Делта филтер; исправне ОПЦИЈЕ (исправне вредности;
                            основно):
                              dist=БРОЈ   растојање између бајтова који су
                                          одузети из свих других (1-256; 1)
--lzma1[=ОПЦИЈЕ]          LZMA1 или LZMA2; ОПЦИЈЕ је зарезом раздвојен
  --lzma2[=ОПЦИЈЕ]          списак нула или више од пратећих опција (исправне
                            вредности; основно):
                        preset=ПРЕ    враћа опције на претподешавање (0-9[e])
                        dict=БРОЈ     величина речника (4KiB – 1536MiB; 8MiB)
                        lc=БРОЈ       број битова дословног контекста (0-4; 3)
                        lp=БРОЈ       број битова дословног положаја (0-4; 0)
                        pb=БРОЈ       број битова положаја (0-4; 2)
                        mode=РЕЖИМ    режим запакивања (брзо, обично; обично)
                        nice=БРОЈ     фина дужина поклапања (2-273; 64)
                        mf=НАЗИВ      налазач поклапања (hc3, hc4, bt2, bt3,
                                      bt4; bt4)
                        depth=БРОЈ    највећа дубина тражења; 0=самостално
                                      (основно)

--delta[=FLAGGOR]   Deltafilter; giltiga FLAGGOR (giltiga värden; standard):
                        dist=NUM   avstånd mellan byte som subtraheras
                                   från varandra (1-256; 1)
--lzma1[=FLAGGOR]   LZMA1 eller LZMA2; FLAGGOR är en kommaseparerad lista av
                      noll eller
  --lzma2[=FLAGGOR]   fler av följande flaggor (giltiga värden; standard):
                        preset=FÖR återställ flaggor till en förinställning
                                   (0-9[e])
                        dict=NUM   lexikonstorlek (4KiB - 1536MiB; 8MiB)
                        lc=NUM     antal bitar för bokstavligkontext (0-4; 3)
                        lp=NUM     antal bitar för bokstavligposition (0-4; 0)
                        pb=NUM     antal bitar för position (0-4; 2)
                        mode=LÄGE  komprimeringsläge (fast, normal; normal)
                        nice=NUM   bra längd för en matchning (2-273; 64)
                        mf=NAMN    matchningshittare (hc3, hc4, bt2, bt3, bt4;
                                   bt4)
                        depth=NUM  maximalt sökdjup; 0=automatisk (standard)
--x86[=FLAGGOR]      x86 BCJ-filter (32- och 64-bitar)
  --arm[=FLAGGOR]      ARM BCJ-filter
  --armthumb[=FLAGGOR] ARM-Thumb BCJ-filter
  --arm64[=FLAGGOR]    ARM64 BCJ-filter
  --powerpc[=FLAGGOR]  PowerPC BCJ-filter (endast rak byteordning)
  --ia64[=FLAGGOR]     IA-64 (Itanium) BCJ-filter
  --sparc[=FLAGGOR]    SPARC BCJ-filter
                       Giltiga FLAGGOR för alla BCJ-filter:
                         start=NUM  startposition för konverteringar
                                    (standard=0)

--delta[=SÇNKLR]    Delta süzgeci; geçerli SÇNKLR (geçerli değerler;
                        öntanımlı):
                        dist=NUM   birbirinden çırakılar baytlar arasındaki
                                     uzaklık (1-256; 1)
--lzma1[=SÇNKLR]    LZMA1 veya LZMA2; OPTS, sıfır veya aşağıdaki
  --lzma2[=SÇNKLR]    seçeneklerin virgülle ayrılmış değerleridir (geçerli
                      değerler; öntanımlı):
                        preset=ÖNA seçenekleri bir önayara sıfırla (0-9[e])
                        dict=NUM   sözlük boyutu (4KiB - 1536MiB; 8MiB)
                        lc=NUM     düz bağlam bitlerinin sayısı (0-4; 3)
                        lp=NUM     düz konum bitlerinin sayısı (0-4; 0)
                        pb=NUM     konum bitlerinin sayısı (0-4; 2)
                        mode=KİP   sıkıştırma kipi (fast, normal; normal)
                        nice=NUM   bir eşleşmenin öncelik uzunluğu (2-273; 64)
                        mf=AD      eşleşme bul (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NUM  en büyük arama derinliği; 0=oto (öntanımlı)
--x86[=SÇNKLR]      x86 BCJ süzgeci (32 bit ve 64 bit)
  --arm[=SÇNKLR]      ARM BCJ süzgeci
  --armthumb[=SÇNKLR] ARM-Thumb BCJ süzgeci
  --arm64[=SÇNKLR]    ARM64 BCJ süzgeci
  --powerpc[=SÇNKLR]  PowerPC BCJ süzgeci (yalnızca yüksek son basamaklı)
  --ia64[=SÇNKLR]     IA-64 (Itanium) BCJ süzgeci
  --sparc[=SÇNKLR]    SPARC BCJ süzgeci
                      Tüm BCJ süzgeçleri için geçerli SÇNKLR:
                        start=NUM  dönüşümler başlangıç ofseti (öntanımlı=0)

--delta[=ПАРАМЕТРИ]    дельта-фільтр; коректні ПАРАМЕТРИ (значення; типове):
                           dist=N  відстань між байтами, які віднімаються
                                   один від одного (1-256; 1)
--lzma1[=ПАРАМЕТРИ]   LZMA1 або LZMA2; ПАРАМЕТРИ — відокремлений комами список
  --lzma2[=ПАРАМЕТРИ]   нуля або декількох параметрів (коректні значення;
                        типове):
                          preset=РІВ скинути параметри до рівня (0-9[e])
                          dict=N     розмір словника (4KiB - 1536MiB; 8MiB)
                          lc=N       кількість буквальних контекстних бітів
                                     (0-4; 3)
                          lp=N       кількість буквальних бітів позицій (0-4; 0)
                          pb=N       кількість бітів позицій (0-4; 2)
                          mode=РЕЖИМ режим стискання (fast, normal; normal)
                          nice=N     довжина відповідності nice (2-273; 64)
                          mf=НАЗВА   пошук відповідності (hc3, hc4, bt2, bt3,
                                     bt4; bt4)
                          depth=N    макс. глибина пошуку; 0=авто (типова)

--delta[=OPTS]      bộ lọc Delta;
                      CÁC-TÙY-CHỌN hợp lệ (giá trị hợp lệ; mặc định):
                        dist=SỐ    khoảng cách giữa các byte được trừ từ
                                   những cái khác (1-256; 1)
--lzma1[=CTC]       LZMA1 hay LZMA2; CÁC-TÙY-CHỌN là danh sách của không hoặc
  --lzma2[=CTC]       hơn các tùy chọn sau đây (giá trị hợp lệ; mặc định):
                        preset=PRE các tùy chọn tối ưu nén (0-9[e])
                        dict=SỐ    cỡ từ điển (4KiB - 1536MiB; 8MiB)
                        lc=SỐ      số bít ngữ cảnh văn bản (0-4; 3)
                        lp=SỐ      số bít vị trí văn bản (0-4; 0)
                        pb=SỐ      số bít vị trí (0-4; 2)
                        mode=CHẾ_ĐỘ  chế độ nén (fast, normal; normal)
                        nice=SỐ    chiều dài “tốt” của khớp (2-273; 64)
                        mf=TÊN     bộ tìm khớp (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=SỐ   mức sâu tìm kiếm tối đa; 0=tự động (mặc định)
Các tùy chọn về định dạng và nén cơ bản:
Móc xích lọc tùy chỉnh cho nén (thay cho việc dùng chỉnh trước):
Không có TẬP_TIN, hoặc TẬP_TIN là “-”, thì đọc đầu vào tiêu chuẩn.

--delta[=选项]      增量过滤器；有效选项（有效值；默认值）：
                        dist=NUM   相减的字节之间的距离 (1-256; 1)
--lzma1[=选项]      LZMA1 或 LZMA2；指定选项是用逗号分隔的下列选项的组合，
  --lzma2[=选项]      值应当为零或大于零（有效值；默认值）：
                        preset=PRE 将选项重置为预设配置 (0-9[e])
                        dict=数字  字典大小 (4KiB - 1536MiB; 8MiB)
                        lc=数字    literal context 位的数量 (0-4; 3)
                        lp=数字    literal position 位的数量 (0-4; 0)
                        pb=数字    position 位的数量 (0-4; 2)
                        mode=模式  压缩模式 (fast, normal; normal)
                        nice=数字  匹配的 nice 值 (2-273; 64)
                        mf=名称    匹配搜索器 match finder
                                   (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=数字 最大搜索深度； 0=自动（默认）
--x86[=选项]        x86 BCJ 过滤器（32 位和 64 位）
  --arm[=选项]        ARM BCJ 过滤器
  --armthumb[=选项]   ARM-Thumb BCJ 过滤器
  --arm64[=选项]      ARM64 BCJ 过滤器
  --powerpc[=选项]    PowerPC BCJ 过滤器（仅大端序）
  --ia64[=选项]       IA-64 (Itanium，安腾) BCJ 过滤器
  --sparc[=选项]      SPARC BCJ 过滤器
                      所有过滤器可用选项：
                        start=数字  转换的起始偏移量（默认=0）

--lzma1[=操作]      LZMA1 或 LZMA2；<操作> 是以下選項中的 0 個或以上選項
  --lzma2[=操作]      （有效值; 預設）：
                        preset=PRE 將選項重設至某設定檔的選項 (0-9[e])
                        dict=NUM   字典大小 (4KiB - 1536MiB; 8MiB)
                        lc=NUM     文字內文位元數 (0-4; 3)
                        lp=NUM     文字位置位元數 (0-4; 0)
                        pb=NUM     位置位元數    (0-4; 2)
                        mode=模式  壓縮模式 (fast, normal; normal)
                        nice=NUM   符合項目的 nice 長度 (2-273; 64)
                        mf=名稱    尋找符合搜尋器 (hc3, hc4, bt2, bt3, bt4; bt4)
                        depth=NUM  最大搜尋深度；0=自動（預設）
--block-size=大小
                      輸入每 <大小> 位元組後，開始一個新 .xz 區塊；
                      使用此功能以設定多執行緒壓縮的區塊大小
--no-adjust     若壓縮設定超過記憶體用量上限，請給出
                      錯誤而非下調設定
--no-sparse     不在解壓縮時建立疏鬆檔案
  -S, --suffix=.SUF   在壓縮檔加上後綴「.SUF」
      --files[=檔案]  讀取檔案名稱以處理 <檔案>；如省略 <檔案>
                      則從標準輸入讀取檔名；檔名必須以換行字元作為結尾
      --files0[=檔案] 類似 --files 但是以 null 空字元作結尾

Python（派森）语言是一种功能强大而完善的通用型计算机程序设计语言，
已经具有十多年的发展历史，成熟且稳定。这种语言具有非常简捷而清晰
的语法特点，适合完成各种高层任务，几乎可以在所有的操作系统中
运行。这种语言简单而强大，适合各种人士学习使用。目前，基于这
种语言的相关技术正在飞速的发展，用户数量急剧扩大，相关的资源非常多。
Python の開発は、1990 年ごろから開始されています。
開発者の Guido van Rossum は教育用のプログラミング言語「ABC」の開発に参加していましたが、ABC は実用上の目的にはあまり適していませんでした。
このため、Guido はより実用的なプログラミング言語の開発を開始し、英国 BBS 放送のコメディ番組「モンティ パイソン」のファンである Guido はこの言語を「Python」と名づけました。
このような背景から生まれた Python の言語設計は、「シンプル」で「習得が容易」という目標に重点が置かれています。
多くのスクリプト系言語ではユーザの目先の利便性を優先して色々な機能を言語要素として取り入れる場合が多いのですが、Python ではそういった小細工が追加されることはあまりありません。
言語自体の機能は最小限に押さえ、必要な機能は拡張モジュールとして追加する、というのが Python のポリシーです。
◎ 파이썬(Python)은 배우기 쉽고, 강력한 프로그래밍 언어입니다. 파이썬은
효율적인 고수준 데이터 구조와 간단하지만 효율적인 객체지향프로그래밍을
지원합니다. 파이썬의 우아(優雅)한 문법과 동적 타이핑, 그리고 인터프리팅
환경은 파이썬을 스크립팅과 여러 분야에서와 대부분의 플랫폼에서의 빠른
애플리케이션 개발을 할 수 있는 이상적인 언어로 만들어줍니다.

☆첫가끝: 날아라 쓔쓔쓩~ 닁큼! 뜽금없이 전홥니다. 뷁. 그런거 읎다.
"""#
}
