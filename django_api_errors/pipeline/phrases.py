"""Incident phrases in the Asana manner: ``6 sad squid snuggle softly``.

A phrase is a number, an adjective, a plural noun, a verb and an adverb, each drawn with
:mod:`secrets` (the operating system's cryptographically secure source), so knowing one phrase tells
nothing about the next. The lists below give about 2^46.5 phrases: among 10 000 phrases drawn in a row
the chance that two are equal is below one in a million, and the incident table's unique constraint
catches the rest.
"""

from __future__ import annotations

import secrets

# Numbers from 2, so the plural noun always agrees.
LOWEST_NUMBER = 2
HIGHEST_NUMBER = 9999


def _word_list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Adjectives: "6 *sad* squid snuggle softly".
ADJECTIVES = _word_list(
    """
    able absurd agile airy amber ample apt arctic ardent artful astute azure balmy bashful beige bitter
    blissful blue bold bouncy brave breezy brief bright brisk bronze bubbly bumpy buoyant burly busy
    calm candid carefree caring casual cheeky cheerful cheery chilly chirpy chubby chunky civil clever
    cloudy clumsy coastal cobalt cosmic cosy crafty cranky creamy crisp cuddly curious curly dainty
    dandy dapper daring dashing dazzling deft dewy dim dizzy dozy dreamy droll drowsy dusky dusty eager
    early earnest earthy easy elated elegant emerald epic even exact fabled fair faithful fancy fearless
    feisty fierce fine firm fleet fluffy fond frank free fresh friendly frilly frisky frosty frugal
    fuzzy gallant gaudy gentle giant giddy gifted glad glassy gleaming gloomy glossy golden graceful
    grand grassy grateful green gritty groovy grumpy gusty hairy handy happy hardy hasty hazy hearty
    helpful heroic hollow honest hopeful humble humid hungry icy ideal idle jade jagged jaunty jazzy
    jolly jovial joyful jubilant jumpy keen kind kindly knobbly lanky large lavish lazy leafy lean lemon
    level light lilac lilting limber little lively lofty lonely loyal lucid lucky lumpy lush magic
    majestic marbled meek mellow merry mighty mild minty mirthful misty modern modest moody moonlit
    mossy muddy murky musical mystic narrow neat nervous nifty nimble nippy noble noisy nutty oaken odd
    olive orange ornate patient pebbly pensive peppy perky petite placid plain playful plucky plump
    plush polar polite portly prim proud prudent puffy purple quaint quaking quick quiet quirky radiant
    rapid rare ready regal relaxed rosy round rowdy royal ruby rugged rustic rusty sad salty sandy sassy
    scarlet scrappy serene shady shaggy sharp shiny short shy silent silken silky silly silver simple
    sleek sleepy slim slow small smart smiling smooth snappy snowbound snowy snug soft soggy solar
    solemn sound spare sparkly speedy spicy spiffy spotted sprightly spry starry steady stoic stormy
    stout sturdy subtle sultry sunny super supple sweet swift tall tame tangy tawny tender thirsty
    thrifty tidy tiny tipsy tiptop toasty tough tranquil trusty tubby twinkly upbeat vast velvet vibrant
    vivid wacky warm wary wavy wealthy weary wild windy wintry wiry wise witty wobbly woolly worthy
    young zany zealous zesty zippy
    """
)

# Plural nouns, so they agree with any number from 2 up.
PLURAL_NOUNS = _word_list(
    """
    aardvarks acorns albatrosses alpacas anchors anchovies anteaters antelopes apes apples apricots
    armadillos badgers bagels bakers balloons bananas banjos barrels baskets bats beacons beagles bears
    beavers bees beetles bells biscuits bison blankets boars bobcats bonnets boots bottles bubbles
    buckets buffaloes bulldogs bunnies butterflies buttons buzzards cabbages cactuses camels canaries
    candles capybaras caribou carrots castles caterpillars cats chameleons cheetahs cherries chickens
    chinchillas chipmunks clams clouds cobras cockatoos coconuts cod comets condors cookies corgis
    cougars cows coyotes crabs cranes crayons crickets crocodiles crows cuckoos cupcakes daisies deer
    dingoes dodos dogs dolphins donkeys doves dragonflies dragons ducks dumplings eagles eels egrets
    elephants elk emus falcons feathers ferrets fiddles finches fireflies flamingos foxes frogs gadgets
    gazelles geckos geese gerbils giants gibbons giraffes gliders gnomes gnus goats goblins goldfish
    gophers gorillas grasshoppers gremlins grouse gulls hammocks hamsters hares hawks hedgehogs helmets
    herons herrings hippos hornets horses hounds hummingbirds hyenas ibises iguanas impalas jackals
    jaguars jays jellybeans jellyfish kangaroos kestrels kettles kingfishers kites kittens kiwis koalas
    koi ladybirds lambs lanterns larks lemmings lemons lemurs leopards lions lizards llamas lobsters
    lynxes macaws magpies mallards manatees mantises marmots meerkats mermaids minks mittens moles
    mongooses monkeys moose moths muffins mules narwhals newts nightingales noodles nutmegs ocelots
    octopuses ogres okapis opossums oranges orcas ostriches otters owls oxen oysters paddles pancakes
    pandas panthers parrots partridges peaches peacocks peanuts pebbles pelicans penguins pheasants
    pickles pigeons pigs pikes pillows pineapples pirates pixies platypuses plovers plums poets ponies
    porcupines possums pretzels puddles puffins pumas pumpkins quails quilts rabbits raccoons radishes
    rams ravens reindeer rhinos robins robots rockets roosters sailboats sailors salamanders salmon
    sardines satellites scarves scorpions seals sharks sheep shrimp skunks sloths slugs snails snakes
    sparrows spiders squid squirrels starfish stoats storks swallows swans swifts tailors tapirs teapots
    tigers toads tomatoes tortoises toucans trolls trout trumpets tulips tuna turkeys turnips turtles
    umbrellas unicorns vipers voles vultures waffles wallabies walnuts walruses warthogs wasps weasels
    whales wizards wolves wombats woodpeckers worms wrens yaks yetis zebras
    """
)

# Verbs in the plural present: "squid *snuggle*".
VERBS = _word_list(
    """
    admire amble applaud argue arrive bake balance bargain bask beam beg bicker blather blink bloom
    blossom blush bluster boast bob bounce bow brag breathe bubble build bumble burrow bustle buzz
    cackle camp canter caper care carol carry cavort celebrate chant chase chatter cheer chew chirp
    chomp chortle chuckle clamber clap clatter climb cling coast collect commute compute cook cough
    count crawl create croon cruise cuddle curtsy dabble dance dash dawdle daydream debate decide
    deliver dig dine dither dive doodle doze drift drink drive drum dwell eat echo explore fetch fiddle
    fidget fish flap flee flicker flip float flock flounder flourish flow fluster flutter fly forage
    frolic frown gallop gambol gather gaze giggle glide glimmer glow gobble gossip graze greet grin grow
    grumble grunt guard gurgle hike hoot hop hover howl hug hum hunt hurry imagine itch jabber jiggle
    jingle jog joke jostle juggle jump kneel knit laugh leap learn linger listen loiter lounge lurk
    march meander meditate mingle mope mumble munch muse mutter nap natter navigate nestle nibble nod
    nuzzle observe paddle paint parade pause peek perch pirouette plod ponder potter pounce pout prance
    prattle promise prowl puff purr quack question quiver race ramble rattle rejoice relax relish rest
    return revel roam roar rock roll romp row rumble run rush rustle sail sashay saunter scamper scatter
    scoot scramble scurry scuttle search shimmer shimmy shine shiver shuffle sigh simmer sing sip sit
    skate skedaddle sketch skip slide slither slouch slumber smile smirk sneeze snicker sniff snooze
    snore snort snuggle soar sparkle speak spin splash splutter sprint sprout squabble squeak squeal
    squint stagger stomp stretch stride stroll strum strut study surf swagger sway sweep swim swing
    swirl swoop tackle talk tap teeter think thrive tickle tinker tiptoe toddle totter tremble trot
    trundle tumble tussle twinkle twirl twitter vanish venture vote waddle wade wait wander warble wave
    wheeze whirl whisper whistle wiggle wink wish wobble wonder work worry wriggle yammer yawn yell
    yodel zigzag zoom
    """
)

# Adverbs closing the phrase.
ADVERBS = _word_list(
    """
    ably abruptly absently absurdly actively adroitly airily amiably amply angrily anxiously aptly
    ardently artfully awkwardly badly barely bashfully beautifully bitterly blindly blissfully blithely
    boisterously boldly bouncily bravely breezily briefly brightly brilliantly briskly broadly bumpily
    busily calmly candidly carefully carelessly casually cautiously charmingly cheekily cheerfully
    cleanly clearly cleverly closely clumsily comically coolly correctly cosily cosmically coyly crisply
    crossly curiously daintily daringly dashingly dearly deeply deftly deliberately delicately dimly
    directly dizzily doggedly dreamily dutifully eagerly earnestly easily eerily elegantly endlessly
    energetically evenly exactly faintly fairly faithfully famously fearlessly fervently fiercely finely
    firmly fitfully fitly fluidly fondly foolishly formally frankly frantically freely freshly fully
    furiously gaily generously gently giddily gingerly gladly gleefully glumly gracefully grandly
    gratefully greatly grimly grumpily guiltily handsomely happily harshly hastily hazily heartily
    heavily helpfully highly hoarsely honestly hopefully humbly hungrily hurriedly idly innocently
    intently jauntily jokingly jovially joyfully joyously jubilantly keenly kindly knowingly lavishly
    lazily lightly limply loftily loosely loudly lovingly loyally luckily lustily madly magically meekly
    merely merrily mightily mildly modestly mysteriously neatly nervously nicely nimbly nobly noisily
    noticeably obediently oddly officially openly painfully patiently peacefully pensively perfectly
    perkily plainly playfully pleasantly politely poorly primly promptly properly proudly quaintly
    quickly quietly quirkily quizzically rapidly rarely rashly readily recklessly regally reluctantly
    restfully richly rightly roughly rowdily royally rudely ruefully sadly safely sagely scarcely
    searchingly serenely sharply sheepishly shrewdly shyly silently silkily simply sleepily sloppily
    slowly slyly smartly smoothly snappily snugly softly solemnly soundly sparingly speedily splendidly
    steadily stealthily sternly stiffly stoutly strictly strongly stubbornly sturdily sublimely suddenly
    sullenly sunnily superbly sweetly swiftly tamely tartly tenaciously tenderly tensely thankfully
    thoughtfully tidily tightly timidly tiredly tirelessly truly trustingly unevenly vaguely vainly
    valiantly vastly verbally vividly warily warmly wearily wickedly wildly willingly wisely wistfully
    wittily woefully wonderfully zanily zealously zestfully
    """
)


def new_phrase() -> str:
    """A fresh random phrase: number, adjective, plural noun, verb, adverb, separated by spaces."""
    # One uniform draw over every phrase, read as a mixed-radix number: a single call to the
    # operating system's source instead of five, with the same distribution.
    draw = secrets.randbelow(_PHRASE_COUNT)
    words = []
    for word_list in _WORD_LISTS:
        draw, index = divmod(draw, len(word_list))
        words.append(word_list[index])
    return f"{LOWEST_NUMBER + draw} {' '.join(words)}"


_WORD_LISTS = (ADJECTIVES, PLURAL_NOUNS, VERBS, ADVERBS)


def phrase_count() -> int:
    """How many distinct phrases :func:`new_phrase` can return."""
    count = HIGHEST_NUMBER - LOWEST_NUMBER + 1
    for words in (ADJECTIVES, PLURAL_NOUNS, VERBS, ADVERBS):
        count *= len(words)
    return count


def normalise_phrase(text: str) -> str:
    """A phrase as typed by a person (any case, extra spaces) in the form it is stored in."""
    return " ".join(text.lower().split())


_PHRASE_COUNT = phrase_count()
